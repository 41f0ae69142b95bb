// fleetfire's lean Firestore emulator (FLEETFIRE_FIRESTORE_LEAN=1, a benchmark diagnostic; scripts/lib/emulators.mjs):
// this class replaces the emulator's rules-coverage tracker, which records every evaluated expression with its
// value in one synchronized table (every rules evaluation of every request waits on it). Coverage stays empty.
package com.google.firebase.rules.runtime.tracking;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.firebase.rules.runtime.v1.Expression;
import com.google.firebase.rules.runtime.v1.ExpressionValue;
import com.google.firebase.rules.runtime.v1.RulesetAst;
import com.google.firebase.rules.v1.SourcePosition;
import java.util.Optional;

public final class RuleExpressionTracker<ReportT> {
  public interface ReportNodeBuilder<ReportT> {
    Optional<ReportT> get(ImmutableSet<ReportT> children, SourcePosition position, ImmutableMap<ExpressionValue, Integer> values);
  }

  public RuleExpressionTracker(ReportNodeBuilder<ReportT> nodeBuilder) {}

  public void addResultsFrom(Iterable<PermissionTrace> traces) {}

  public void add(Expression expression, ExpressionValue value) {}

  public int totalEvaluationCount() {
    return 0;
  }

  public ImmutableSet<ExpressionValue> allEvaluationResults() {
    return ImmutableSet.of();
  }

  public ImmutableCollection<ReportT> expressionReports(RulesetAst ast) {
    return ImmutableList.of();
  }
}
