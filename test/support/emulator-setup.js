// vitest globalSetup (runs in Node): one emulator for the whole run on
// 127.0.0.1; tests reach it through inject("emulatorUrl") and each uses its
// own namespace.
import { createRealtimeKitEmulator } from "../../tools/dev/realtimekit-emulator.js";

export default async function setup({ provide }) {
  const emulator = createRealtimeKitEmulator();
  provide("emulatorUrl", await emulator.listen(0, "127.0.0.1"));
  return () => emulator.close();
}
