// The example call page. "Start a meeting" creates one and joins its creator
// straight away as host (with the host key the Worker answered, kept in this
// tab's sessionStorage, never in a link), and shows the guests' link; the
// host can end the meeting for everyone. A guest's link first looks the
// meeting up: its title, or that it has ended; then asks for a name and
// joins. The participant's auth token goes to RealtimeKit's UI Kit. Talks to
// the Worker only through the browser client.
import { VideoCallClient } from "./client/index.js";
import config from "./config.js";
import { defineCustomElements } from "./vendor/realtimekit-ui/loader/index.js";

// Signed-in callers: when the Worker has AUTH_ISSUER and AUTH_AUDIENCE, give the client the
// user's ID token from your identity provider, for example
//   getToken: () => auth0.getTokenSilently()                                   (Auth0)
//   getToken: () => window.Clerk.session?.getToken()                           (Clerk)
//   getToken: async () => (await supabase.auth.getSession()).data.session?.access_token  (Supabase)
//   getToken: () => getAuth().currentUser?.getIdToken()                        (Firebase)
// `DEV_SIGN_IN=1 npm start` signs a development user in with the emulator's provider, for
// the person who starts a meeting; guests join by link without one (AUTH_REQUIRED_FOR=create).
let devTokenCache = null;
let startedHere = false;
async function devToken() {
  if (!startedHere) return null;
  if (devTokenCache && devTokenCache.exp - 60 > Date.now() / 1000) return devTokenCache.token;
  const name = $("host-name")?.value.trim() || "Dev user";
  const { token } = await (await fetch(`/dev-token?name=${encodeURIComponent(name)}`)).json();
  devTokenCache = { token, exp: JSON.parse(atob(token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/"))).exp };
  return token;
}
const client = new VideoCallClient({ baseUrl: config.apiBase, getToken: config.signIn === "dev" ? devToken : undefined });
const $ = (id) => document.getElementById(id);
let meetingId = new URLSearchParams(location.search).get("meeting");
const hostKeyName = (id) => `video-call-host-key:${id}`;
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
    case "MEETING_ENDED":
      return "This meeting has ended.";
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

// The guests' link: the meeting id only.
function showShareLink(id) {
  const link = new URL(location.pathname, location.origin);
  link.search = `?meeting=${encodeURIComponent(id)}`;
  $("share-link").href = $("share-link").textContent = link.href;
  $("share-section").hidden = false;
}

async function joinAsHost(id, hostKey) {
  const name = $("host-name").value.trim() || "Host";
  const participant = await client.join(id, { name, hostKey });
  $("host-bar").hidden = false;
  await enterCall(participant);
  $("lobby").hidden = false; // the guests' link stays in view beside the call
}

async function startMeeting(event) {
  event.preventDefault();
  $("start").disabled = true;
  startedHere = true;
  say("Creating a meeting…");
  try {
    const { meetingId: id, hostKey } = await client.createMeeting({ name: $("meeting-name").value.trim() || undefined });
    meetingId = id;
    $("start-section").hidden = true;
    showShareLink(id);
    // The page's own address names the meeting (so a reload finds it), never the key.
    history.replaceState(null, "", `?meeting=${encodeURIComponent(id)}`);
    setState("created");
    if (!hostKey) {
      say("Meeting created. This Worker has no HOST_KEY_SECRET, so there is no host: open the link to join.");
      return;
    }
    sessionStorage.setItem(hostKeyName(id), hostKey);
    say("Meeting created. Joining as host…");
    await joinAsHost(id, hostKey);
  } catch (error) {
    fail(error);
  } finally {
    $("start").disabled = false;
  }
}

async function endMeeting() {
  const hostKey = sessionStorage.getItem(hostKeyName(meetingId));
  $("end").disabled = true;
  say("Ending the meeting for everyone…");
  try {
    await client.endMeeting(meetingId, hostKey ?? "");
    sessionStorage.removeItem(hostKeyName(meetingId));
    $("call").replaceChildren();
    $("host-bar").hidden = true;
    $("share-section").hidden = true;
    $("lobby").hidden = false;
    setState("ended");
    say("You ended the meeting for everyone.");
  } catch (error) {
    fail(error);
  } finally {
    $("end").disabled = false;
  }
}

// A guest's link: the meeting's title, or that it has ended, before any name is asked.
async function lookUp() {
  say("Looking the meeting up…");
  try {
    const meeting = await client.getMeeting(meetingId);
    if (!meeting.active) {
      setState("ended");
      say("This meeting has ended.");
      return;
    }
    if (meeting.title) {
      $("meeting-title").textContent = meeting.title; // text, never HTML
      $("meeting-title").hidden = false;
    }
    $("join-form").hidden = false;
    setState("ready");
    say("");
  } catch (error) {
    fail(error);
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

$("join-form").addEventListener("submit", join);
$("start-section").addEventListener("submit", startMeeting);
$("end").addEventListener("click", endMeeting);
$("copy").addEventListener("click", () => navigator.clipboard?.writeText($("share-link").href));
const savedHostKey = meetingId && sessionStorage.getItem(hostKeyName(meetingId));
if (savedHostKey) {
  // The host reloaded the page: back in as host.
  showShareLink(meetingId);
  setState("created");
  say("Joining as host…");
  joinAsHost(meetingId, savedHostKey).catch(fail);
} else if (meetingId) {
  setState("looking-up");
  lookUp();
} else {
  $("start-section").hidden = false;
  setState("ready");
}
