// Types of @video-call-worker/client (index.js). Field names are checked
// against docs/API_CONTRACT.yml by test/node/client.test.js.

/** The API contract's error codes, plus NETWORK_ERROR (no answer could be read: offline, a CORS refusal, a timeout). */
export type ErrorCode =
  | "INVALID_INPUT"
  | "UNAUTHORIZED"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "FORBIDDEN"
  | "MEETING_ENDED"
  | "RATE_LIMITED"
  | "INTERNAL_ERROR"
  | "REALTIMEKIT_ERROR"
  | "AUTH_UNAVAILABLE"
  | "NETWORK_ERROR";

export declare const ERROR_CODES: readonly ErrorCode[];

export declare class VideoCallError extends Error {
  readonly name: "VideoCallError";
  /** The HTTP status, or 0 when no answer could be read. */
  readonly status: number;
  readonly code: ErrorCode;
  /** Seconds to wait before trying again (from Retry-After), or null. */
  readonly retryAfter: number | null;
}

export interface VideoCallClientOptions {
  /** The Worker's origin, e.g. "https://video.example.com". Default: this page's origin. */
  baseUrl?: string;
  /** The fetch to use. Default: the global fetch, taken when the client is made. */
  fetch?: typeof fetch;
  /** How long one call may take before it fails with NETWORK_ERROR, in ms. Default 20000. */
  timeoutMs?: number;
  /**
   * The signed-in user's ID token (a JWT from your identity provider: Auth0, Clerk, Supabase,
   * Firebase, Cloudflare Access...), asked before every call and sent as `Authorization: Bearer`.
   * Return null, undefined or "" to send none. A throw fails the call with UNAUTHORIZED.
   */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
}

export interface CreateMeetingOptions {
  /** The meeting's title: 1 to 100 characters. */
  name?: string;
  /** A Turnstile token, when the Worker requires one. */
  turnstileToken?: string;
}

export interface Meeting {
  /** A UUID, lowercase. */
  meetingId: string;
  /** The host's key, when the Worker has HOST_KEY_SECRET: pass it to join() to join as host. Never put it in a guest's link. */
  hostKey?: string;
}

export interface MeetingInfo {
  /** A UUID, lowercase. */
  meetingId: string;
  /** The meeting's title, or null when it has none. Show it as text, never as HTML. */
  title: string | null;
  /** false once the host ended the meeting: joining it then fails with MEETING_ENDED. */
  active: boolean;
}

export interface EndedMeeting {
  /** A UUID, lowercase. */
  meetingId: string;
  active: false;
}

export interface JoinOptions {
  /** The participant's display name: 1 to 100 characters. Default "Participant". */
  name?: string;
  /** Your stable id of the user: 1 to 128 characters. Default a random UUID. */
  customParticipantId?: string;
  /** One of the Worker's ALLOWED_PRESETS (with hostKey: HOST_PRESET or one of HOST_PRESETS). Default its first. */
  presetName?: string;
  /** The meeting's host key, from createMeeting(): joins as host. A wrong one fails with FORBIDDEN. */
  hostKey?: string;
}

export interface Participant {
  /** Hand this to RealtimeKit's SDK or UI Kit. */
  authToken: string;
  /** A UUID, lowercase; keep it to refresh the token. */
  participantId: string;
}

export interface RefreshedToken {
  authToken: string;
}

export declare class VideoCallClient {
  constructor(options?: VideoCallClientOptions);
  createMeeting(options?: CreateMeetingOptions): Promise<Meeting>;
  /** Looks a meeting up: NOT_FOUND when it does not exist. */
  getMeeting(meetingId: string): Promise<MeetingInfo>;
  /** Ends the meeting for everyone (needs the Worker's HOST_KEY_SECRET): FORBIDDEN for a wrong key. */
  endMeeting(meetingId: string, hostKey: string): Promise<EndedMeeting>;
  join(meetingId: string, options?: JoinOptions): Promise<Participant>;
  refresh(meetingId: string, participantId: string): Promise<RefreshedToken>;
}
