// Local search on a closed tour: 2-opt and Or-opt (segments of 1-3 nodes moved elsewhere, either way round),
// both restricted to neighbour lists and driven by a queue of "active" nodes (don't-look bits: a node whose
// neighbourhood held no improving move is skipped until one of its tour edges changes).
//
// The tour is an array plus each node's position; a move rewrites only the stretch of the array it changes
// (on symmetric matrices the shorter side of a reversal). Costs may be asymmetric (road matrices are, and so
// are open paths, see costMatrix.ts): reversing a segment then changes its own cost, read in O(1) from prefix
// sums of the forward and backward costs along the tour, rebuilt after each move. On symmetric matrices that
// term vanishes, no prefix sums are kept and the classic gain criterion prunes the neighbour scan.
import type { CostMatrix } from "./costMatrix";
import type { Rng } from "./rng";

const MAX_SEGMENT = 3;
/** Most kicks swap two adjacent segments of at most this many nodes: a local double bridge is cheap to repair. */
const MAX_LOCAL_KICK_SEGMENT = 30;
/** One kick in this many is a double bridge over the whole tour, to escape wrong large-scale structure. */
const GLOBAL_KICK_EVERY = 10;

export class TourSearch {
  readonly n: number;
  readonly tour: Int32Array;
  private readonly c: Float64Array;
  private readonly pos: Int32Array;
  private currentCost = 0;
  /** Asymmetric costs only: cumForward[p] = cost of tour[0] → … → tour[p], [n] closes the tour; cumBackward reversed. */
  private readonly cumForward: Float64Array;
  private readonly cumBackward: Float64Array;
  private readonly scratch: Int32Array;
  private readonly queue: Int32Array;
  private readonly queued: Uint8Array;
  private queueHead = 0;
  private queueSize = 0;
  private readonly eps: number;

  // The best move found by the current `improve` call.
  private bestDelta = 0;
  private moveKind = 0;
  private move1 = 0;
  private move2 = 0;
  private move3 = 0;
  private move4 = 0;

  constructor(
    m: CostMatrix,
    private readonly neighbours: Int32Array,
    private readonly k: number,
    private readonly symmetric: boolean,
  ) {
    const n = m.n;
    this.n = n;
    this.c = m.data;
    this.tour = new Int32Array(n);
    this.pos = new Int32Array(n);
    this.cumForward = new Float64Array(symmetric ? 0 : n + 1);
    this.cumBackward = new Float64Array(symmetric ? 0 : n + 1);
    this.scratch = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.queued = new Uint8Array(n);
    let max = 0;
    for (const value of m.data) if (value > max) max = value;
    this.eps = max > 0 ? max * 1e-9 : 1e-12;
  }

  get cost(): number {
    return this.currentCost;
  }

  load(tour: ArrayLike<number>): void {
    const { n, c } = this;
    this.tour.set(tour);
    let total = 0;
    for (let p = 0; p < n; p += 1) {
      const node = this.tour[p]!;
      this.pos[node] = p;
      total += c[node * n + this.tour[p + 1 === n ? 0 : p + 1]!]!;
    }
    this.currentCost = total;
    this.refreshSums();
  }

  activate(node: number): void {
    if (this.queued[node]) return;
    this.queued[node] = 1;
    this.queue[(this.queueHead + this.queueSize) % this.n] = node;
    this.queueSize += 1;
  }

  activateAll(): void {
    for (let p = 0; p < this.n; p += 1) this.activate(this.tour[p]!);
  }

  /** Applies improving moves until no active node has one left. */
  optimise(): void {
    if (this.n < 5) {
      this.queueSize = 0;
      this.queued.fill(0);
      return;
    }
    while (this.queueSize > 0) {
      const node = this.queue[this.queueHead]!;
      this.queueHead = this.queueHead + 1 === this.n ? 0 : this.queueHead + 1;
      this.queueSize -= 1;
      this.queued[node] = 0;
      if (this.improve(node)) this.activate(node);
    }
  }

  /** Double bridge: A B C D → A C B D for adjacent segments B and C, usually short ones at a random place. */
  kick(rng: Rng): void {
    const { n, tour, pos, c } = this;
    if (n < 8) return;
    const global = rng.int(GLOBAL_KICK_EVERY) === 0;
    const maxSegment = Math.min(global ? n : MAX_LOCAL_KICK_SEGMENT, Math.floor((n - 2) / 2));
    const first = 1 + rng.int(maxSegment);
    const second = 1 + rng.int(maxSegment);
    const anchor = rng.int(n);
    const at = (offset: number) => tour[(anchor + offset) % n]!;
    const a = at(0);
    const b1 = at(1);
    const b2 = at(first);
    const c1 = at(first + 1);
    const c2 = at(first + second);
    const d = at(first + second + 1);
    this.currentCost += c[a * n + c1]! + c[c2 * n + b1]! + c[b2 * n + d]! - c[a * n + b1]! - c[b2 * n + c1]! - c[c2 * n + d]!;
    const s = this.scratch;
    for (let r = 0; r < second; r += 1) s[r] = at(1 + first + r);
    for (let r = 0; r < first; r += 1) s[second + r] = at(1 + r);
    for (let r = 0; r < first + second; r += 1) {
      const p = (anchor + 1 + r) % n;
      tour[p] = s[r]!;
      pos[s[r]!] = p;
    }
    this.refreshSums();
    this.activate(a);
    this.activate(b1);
    this.activate(b2);
    this.activate(c1);
    this.activate(c2);
    this.activate(d);
  }

  private refreshSums(): void {
    if (this.symmetric) return;
    const { n, c, tour, cumForward, cumBackward } = this;
    for (let p = 1; p <= n; p += 1) {
      const from = tour[p - 1]!;
      const to = tour[p === n ? 0 : p]!;
      cumForward[p] = cumForward[p - 1]! + c[from * n + to]!;
      cumBackward[p] = cumBackward[p - 1]! + c[to * n + from]!;
    }
    this.currentCost = cumForward[n]!;
  }

  /** Cost change of traversing tour positions i..j (forward, possibly wrapping) backwards instead. */
  private reversalCost(i: number, j: number): number {
    if (this.symmetric) return 0;
    const f = this.cumForward;
    const b = this.cumBackward;
    const n = this.n;
    return i <= j ? b[j]! - b[i]! - (f[j]! - f[i]!) : b[n]! - b[i]! + b[j]! - (f[n]! - f[i]! + f[j]!);
  }

  private succ(node: number): number {
    const p = this.pos[node]! + 1;
    return this.tour[p === this.n ? 0 : p]!;
  }

  private pred(node: number): number {
    const p = this.pos[node]!;
    return this.tour[p === 0 ? this.n - 1 : p - 1]!;
  }

  private improve(a: number): boolean {
    this.bestDelta = -this.eps;
    this.moveKind = 0;
    this.scanTwoOpt(a);
    const pa = this.pos[a]!;
    const n = this.n;
    for (let length = 1; length <= MAX_SEGMENT && length + 3 <= n; length += 1) {
      this.scanOrOpt(pa, length);
      if (length > 1) this.scanOrOpt((pa - length + 1 + n) % n, length);
    }
    if (this.moveKind === 0) return false;
    this.currentCost += this.bestDelta;
    if (this.moveKind === 1) this.applyTwoOpt(this.move1, this.move2, this.move3, this.move4);
    else this.applyOrOpt(this.move1, this.move2, this.move3, this.move4 === 1);
    this.refreshSums();
    return true;
  }

  /** 2-opt move (a→b, c→d) ⇒ (a→c, b→d), b = succ(a), d = succ(c): the path b … c is reversed. */
  private considerTwoOpt(a: number, b: number, c: number, d: number): void {
    if (b === c || a === c) return;
    const n = this.n;
    const cost = this.c;
    const delta =
      cost[a * n + c]! + cost[b * n + d]! - cost[a * n + b]! - cost[c * n + d]! + this.reversalCost(this.pos[b]!, this.pos[c]!);
    if (delta < this.bestDelta) {
      this.bestDelta = delta;
      this.moveKind = 1;
      this.move1 = a;
      this.move2 = b;
      this.move3 = c;
      this.move4 = d;
    }
  }

  private scanTwoOpt(a: number): void {
    const { n, c, k, neighbours } = this;
    const sa = this.succ(a);
    const za = this.pred(a);
    const costOut = c[a * n + sa]!;
    const costIn = c[za * n + a]!;
    for (let r = 0; r < k; r += 1) {
      const x = neighbours[a * k + r]!;
      const sx = this.succ(x);
      const zx = this.pred(x);
      if (this.symmetric) {
        const costAx = c[a * n + x]!;
        if (costAx >= costOut && costAx >= costIn) break;
        if (costAx < costOut) this.considerTwoOpt(a, sa, x, sx);
        if (costAx < costIn) this.considerTwoOpt(za, a, zx, x);
      } else {
        this.considerTwoOpt(a, sa, x, sx); // new edge a → x
        this.considerTwoOpt(za, a, zx, x); // new edge a → x
        this.considerTwoOpt(x, sx, a, sa); // new edge x → a
        this.considerTwoOpt(zx, x, za, a); // new edge x → a
      }
    }
  }

  private considerInsertion(i: number, length: number, x: number, y: number, reversed: boolean, s1: number, s2: number, base: number): void {
    const { n, c } = this;
    const delta = reversed
      ? c[x * n + s2]! + c[s1 * n + y]! - c[x * n + y]! + base
      : c[x * n + s1]! + c[s2 * n + y]! - c[x * n + y]! + base;
    if (delta < this.bestDelta) {
      this.bestDelta = delta;
      this.moveKind = 2;
      this.move1 = i;
      this.move2 = length;
      this.move3 = x;
      this.move4 = reversed ? 1 : 0;
    }
  }

  /** Or-opt: the segment at tour positions i … i+length-1 moves between x and succ(x), reversed or not. */
  private scanOrOpt(i: number, length: number): void {
    const { n, c, k, neighbours, tour, pos } = this;
    const j = (i + length - 1) % n;
    const s1 = tour[i]!;
    const s2 = tour[j]!;
    const p = tour[i === 0 ? n - 1 : i - 1]!;
    const q = tour[j + 1 === n ? 0 : j + 1]!;
    const removalGain = c[p * n + s1]! + c[s2 * n + q]! - c[p * n + q]!;
    if (this.symmetric && removalGain <= this.eps) return;
    const reversedBase = (length > 1 ? this.reversalCost(i, j) : 0) - removalGain;

    for (let r = 0; r < k; r += 1) {
      const w = neighbours[s1 * k + r]!;
      if (this.symmetric && c[s1 * n + w]! >= removalGain) break;
      if ((pos[w]! - i + n) % n < length) continue;
      if (w !== p) this.considerInsertion(i, length, w, this.succ(w), false, s1, s2, -removalGain); // w → s1 … s2
      if (length > 1 && w !== q) this.considerInsertion(i, length, this.pred(w), w, true, s1, s2, reversedBase); // s2 … s1 → w
    }
    for (let r = 0; r < k; r += 1) {
      const w = neighbours[s2 * k + r]!;
      if (this.symmetric && c[s2 * n + w]! >= removalGain) break;
      if ((pos[w]! - i + n) % n < length) continue;
      if (w !== q) this.considerInsertion(i, length, this.pred(w), w, false, s1, s2, -removalGain); // s1 … s2 → w
      if (length > 1 && w !== p) this.considerInsertion(i, length, w, this.succ(w), true, s1, s2, reversedBase); // w → s2 … s1
    }
  }

  private applyTwoOpt(a: number, b: number, c: number, d: number): void {
    const { n, tour, pos } = this;
    let i = pos[b]!;
    let j = pos[c]!;
    let length = ((j - i + n) % n) + 1;
    if (this.symmetric && 2 * length > n) {
      // Same cycle, other orientation: reverse the shorter complement.
      [i, j] = [(j + 1) % n, (i - 1 + n) % n];
      length = n - length;
    }
    for (let s = 0; s < length >> 1; s += 1) {
      const left = (i + s) % n;
      const right = (j - s + n) % n;
      const node = tour[left]!;
      tour[left] = tour[right]!;
      tour[right] = node;
      pos[tour[left]!] = left;
      pos[node] = right;
    }
    this.activate(a);
    this.activate(b);
    this.activate(c);
    this.activate(d);
  }

  /**
   * Moves the segment at positions i … i+length-1 between x and y = succ(x) by rotating the shorter of the two
   * stretches between them: [S][q … x] → [q … x][S] or [y … p][S] → [S][y … p].
   */
  private applyOrOpt(i: number, length: number, x: number, reversed: boolean): void {
    const { n, tour, pos } = this;
    const s = this.scratch;
    const j = (i + length - 1) % n;
    const y = this.succ(x);
    const ahead = (pos[x]! - j + n) % n; // nodes q … x
    const behind = (i - pos[y]! + n) % n; // nodes y … p
    const touched0 = tour[(i - 1 + n) % n]!;
    const touched1 = tour[i]!;
    const touched2 = tour[j]!;
    const touched3 = tour[(j + 1) % n]!;
    let w = 0;
    let from: number;
    if (ahead <= behind) {
      for (let r = 1; r <= ahead; r += 1) s[w++] = tour[(j + r) % n]!;
      for (let r = 0; r < length; r += 1) s[w++] = tour[reversed ? (j - r + n) % n : (i + r) % n]!;
      from = i;
    } else {
      for (let r = 0; r < length; r += 1) s[w++] = tour[reversed ? (j - r + n) % n : (i + r) % n]!;
      for (let r = 0; r < behind; r += 1) s[w++] = tour[(pos[y]! + r) % n]!;
      from = pos[y]!;
    }
    for (let r = 0; r < w; r += 1) {
      const p = (from + r) % n;
      tour[p] = s[r]!;
      pos[s[r]!] = p;
    }
    this.activate(touched0);
    this.activate(touched1);
    this.activate(touched2);
    this.activate(touched3);
    this.activate(x);
    this.activate(y);
  }
}
