// Where Chromium is for the browser tests: CHROMIUM_PATH, or Debian's
// /usr/bin/chromium (the project's CI installs it), or another usual place.
// null when none is found.
import { existsSync } from "node:fs";

export const CHROMIUM_HINT = "Debian/Ubuntu: sudo apt-get install chromium; elsewhere set CHROMIUM_PATH to a Chromium or Chrome";

export function findChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  const candidates = [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
  ];
  return candidates.find((path) => existsSync(path)) ?? null;
}

// Launch flags: headless, nothing fetched in the background (this machine's
// network is closed), no sandbox when running as root.
export function chromiumArgs() {
  const args = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
  if (process.getuid?.() === 0) args.push("--no-sandbox");
  return args;
}
