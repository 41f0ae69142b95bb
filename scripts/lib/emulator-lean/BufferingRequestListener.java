// fleetfire's lean Firestore emulator (FLEETFIRE_FIRESTORE_LEAN=1, a benchmark diagnostic; scripts/lib/emulators.mjs):
// this class replaces the log of rules-evaluated requests that the emulator keeps for the Emulator UI, which
// serialises every request to JSON under one lock. The UI's Requests tab stays empty.
package com.google.cloud.datastore.emulator.firestore.websocket;

import com.google.cloud.datastore.emulator.impl.util.EmulatorRequestsListener;
import com.google.common.time.TimeSource;
import java.util.function.Consumer;
import org.json.JSONArray;
import org.json.JSONObject;

class BufferingRequestListener implements EmulatorRequestsListener {
  BufferingRequestListener(Consumer<JSONObject> requestListener, TimeSource timeSource) {}

  synchronized void generateRequestBacklog(Consumer<JSONArray> consumer) {
    consumer.accept(new JSONArray());
  }
}
