// The example call page: "Start a meeting" gives a link to share; opening the
// link asks for a name and joins, handing the participant's auth token to
// RealtimeKit's UI Kit. Talks to the Worker only through the browser client.
import { VideoCallClient } from "./client/index.js";
import config from "./config.js";
import { defineCustomElements } from "./vendor/realtimekit-ui/loader/index.js";

const client = new VideoCallClient({ baseUrl: config.apiBase });
const $ = (id) => document.getElementById(id);
const meetingId = new URLSearchParams(location.search).get("meeting");
// A token this close to its expiry is refreshed before RealtimeKit sees it.
const REFRESH_MARGIN_SECONDS = 60;

function setState(state) {
  document.body.dataset.callState = state;
}

function say(text, kind = "info") {
  $("status").textContent = text;
  $("status").dataset.kind = kind;
}

// What a person should read for each VideoCallError.
function inWords(error) {
  const wait = error.retryAfter ? ` Please try again in ${error.retryAfter} seconds.` : " Please try again in a moment.";
  switch (error.code) {
    case "NOT_FOUND":
      return "This meeting does not exist. Check the link, or start a new meeting.";
    case "RATE_LIMITED":
      return `Too many requests.${wait}`;
    case "INVALID_INPUT":
      return `That did not work: ${error.message}.`;
    case "FORBIDDEN":
      return "This page is not allowed to use the video-call service (its address is not in ALLOWED_ORIGINS).";
    case "NETWORK_ERROR":
      return "The video-call service could not be reached. Check your connection and try again.";
    default:
      return `The video-call service is unavailable right now.${wait}`;
  }
}

function fail(error) {
  setState("error");
  say(error?.name === "VideoCallError" ? inWords(error) : `Something went wrong: ${error?.message ?? error}`, "error");
}

// The token's expiry (JWT `exp`, seconds), or null when it does not say.
function expiryOf(token) {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return typeof payload.exp === "number" ? payload.exp : null;
  } catch {
    return null;
  }
}

async function freshToken(participant) {
  const exp = expiryOf(participant.authToken);
  if (exp === null || exp - Date.now() / 1000 > REFRESH_MARGIN_SECONDS) return participant.authToken;
  say("Your invitation had expired; getting a new one…");
  return (await client.refresh(meetingId, participant.participantId)).authToken;
}

const refusedToken = (error) => error?.code === 401 || error?.status === 401 || /unauthori[sz]ed|auth.?token/i.test(String(error?.message));

// Hands the token to RealtimeKit and mounts its meeting UI. When RealtimeKit
// refuses the token, a new one is fetched once through the client.
async function enterCall(participant) {
  defineCustomElements();
  const element = document.createElement("rtk-meeting");
  // The UI Kit's default design asks Google for a font; this page loads nothing from elsewhere.
  element.config = { designTokens: { spacingBase: 4, fontFamily: "system-ui, sans-serif" } };
  element.loadConfigFromPreset = false;
  $("call").replaceChildren(element);
  $("join-form").hidden = true;
  let authToken = await freshToken(participant);
  for (let attempt = 0; ; attempt++) {
    setState("token-handed");
    try {
      element.meeting = await RealtimeKitClient.init({ authToken, defaults: { audio: true, video: true } });
      setState("joined");
      $("lobby").hidden = true;
      return;
    } catch (error) {
      if (attempt === 0 && !config.emulator && refusedToken(error)) {
        authToken = (await client.refresh(meetingId, participant.participantId)).authToken;
        continue;
      }
      if (config.emulator) {
        setState("no-media-servers");
        say(
          "Joined: your token went to RealtimeKit's UI Kit. The local RealtimeKit emulator has no media servers, " +
            "so no call starts here; put real Cloudflare credentials in .dev.vars for a working call.",
        );
        return;
      }
      setState("error");
      say(`RealtimeKit could not start the call: ${error?.message ?? error}`, "error");
      $("join-form").hidden = false;
      return;
    }
  }
}

async function startMeeting() {
  $("start").disabled = true;
  say("Creating a meeting…");
  try {
    const { meetingId: id } = await client.createMeeting();
    const link = new URL(location.href);
    link.search = `?meeting=${encodeURIComponent(id)}`;
    $("share-link").href = $("share-link").textContent = link.href;
    $("share-section").hidden = false;
    $("start-section").hidden = true;
    setState("created");
    say("Meeting created.");
  } catch (error) {
    fail(error);
  } finally {
    $("start").disabled = false;
  }
}

async function join(event) {
  event.preventDefault();
  $("join").disabled = true;
  say("Joining…");
  try {
    const participant = await client.join(meetingId, { name: $("name").value.trim() || undefined });
    await enterCall(participant);
  } catch (error) {
    fail(error);
  } finally {
    $("join").disabled = false;
  }
}

if (meetingId) {
  $("join-form").hidden = false;
  $("join-form").addEventListener("submit", join);
} else {
  $("start-section").hidden = false;
  $("start").addEventListener("click", startMeeting);
}
$("copy").addEventListener("click", () => navigator.clipboard?.writeText($("share-link").href));
setState("ready");
