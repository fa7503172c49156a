// Every INVALID_INPUT row of the contract: exact status and body, and no
// request reaches RealtimeKit.
import { describe, expect, it } from "vitest";
import { emulator, expectJsonHeaders, post } from "./helpers.js";

const MEETING = "8c1a5e8e-1f0b-4c55-9a56-0d7a2d8e7f10";
const invalid = (error) => ({ error, code: "INVALID_INPUT" });

const bodyRows = [
  ["not JSON", "{", "Request body must be valid JSON"],
  ["trailing garbage", '{"a":1} x', "Request body must be valid JSON"],
  ["single quotes", "{'a':1}", "Request body must be valid JSON"],
  ["an array", "[]", "Request body must be a JSON object"],
  ["a string", '"x"', "Request body must be a JSON object"],
  ["null", "null", "Request body must be a JSON object"],
  ["a number", "1e999", "Request body must be a JSON object"],
  ["a repeated key", '{"name":"a","name":"b"}', "Request body must not repeat a key"],
  ["deep nesting", "[".repeat(64) + "]".repeat(64), "Request body must be valid JSON"],
  ["a NUL escape", '{"name":"a\\u0000b"}', "Request body must not contain \\u0000"],
  ["a raw newline in a string", '{"name":"a\nb"}', "Request body must be valid JSON"],
];

const sessionRows = [
  ...bodyRows,
  ["a numeric name", '{"name":1}', "name must be a string"],
  ["a huge-number name", '{"name":-1e999999}', "name must be a string"],
  ["a null name", '{"name":null}', "name must be a string"],
  ["an empty name", '{"name":""}', "name must be 1 to 100 characters long"],
  ["a 101-character name", JSON.stringify({ name: "x".repeat(101) }), "name must be 1 to 100 characters long"],
  ["a control character in name", '{"name":"a\\u001bb"}', "name must not contain control characters"],
];

const tokenRows = [
  ...bodyRows,
  ["an empty body", "", "Request body must be a JSON object"],
  ["no meeting_id", "{}", "meeting_id is required"],
  ["Meeting_Id instead of meeting_id", JSON.stringify({ Meeting_Id: MEETING }), "meeting_id is required"],
  ["a numeric meeting_id", '{"meeting_id":42}', "meeting_id must be a string"],
  ["a null meeting_id", '{"meeting_id":null}', "meeting_id must be a string"],
  ["a huge-number meeting_id", '{"meeting_id":1e999999}', "meeting_id must be a string"],
  ["a 63-digit meeting_id", `{"meeting_id":${"9".repeat(63)}}`, "meeting_id must be a string"],
  // cJSON 1.7.18 reads a number of up to 63 characters; a longer one makes the body invalid JSON.
  ["a 400-digit meeting_id", `{"meeting_id":${"9".repeat(400)}}`, "Request body must be valid JSON"],
  ...["", "../x", "%2e%2e", ".%2E/x", "a/b", "a\\b", "?x", "#x", "%00", `${MEETING}\n`, `${MEETING}/../x`, "x".repeat(10240)].map(
    (id) => [`meeting_id ${JSON.stringify(id).slice(0, 24)}`, JSON.stringify({ meeting_id: id }), "meeting_id must be a UUID"],
  ),
  ["meeting_id with an embedded NUL", `{"meeting_id":"${MEETING}\\u0000"}`, "Request body must not contain \\u0000"],
  ["a numeric name", JSON.stringify({ meeting_id: MEETING, name: 5 }), "name must be a string"],
  ["a 101-character name", JSON.stringify({ meeting_id: MEETING, name: "é".repeat(101) }), "name must be 1 to 100 characters long"],
  ["a boolean custom_participant_id", JSON.stringify({ meeting_id: MEETING, custom_participant_id: true }), "custom_participant_id must be a string"],
  ["a 129-character custom_participant_id", JSON.stringify({ meeting_id: MEETING, custom_participant_id: "u".repeat(129) }), "custom_participant_id must be 1 to 128 characters long"],
  ["a newline in custom_participant_id", JSON.stringify({ meeting_id: MEETING, custom_participant_id: "a\nb" }), "custom_participant_id must not contain control characters"],
  ["an array preset_name", JSON.stringify({ meeting_id: MEETING, preset_name: [] }), "preset_name must be a string"],
  ["a 65-character preset_name", JSON.stringify({ meeting_id: MEETING, preset_name: "p".repeat(65) }), "preset_name must be 1 to 64 characters long"],
];

async function expectRejected(path, body, message, status = 400) {
  const rtk = emulator();
  const res = await post(path, body, { env: rtk.env });
  expect(res.status).toBe(status);
  expectJsonHeaders(expect, res.headers);
  expect(res.json).toEqual(invalid(message));
  expect(await rtk.requests()).toEqual([]);
}

describe("POST /api/video-call/session rejects", () => {
  it.each(sessionRows)("%s", (_, body, message) => expectRejected("/api/video-call/session", body, message));
});

describe("POST /api/video-call/token rejects", () => {
  it.each(tokenRows)("%s", (_, body, message) => expectRejected("/api/video-call/token", body, message));
});

describe("body size", () => {
  it.each(["/api/video-call/session", "/api/video-call/token"])("%s answers 413 over 16384 bytes", (path) =>
    expectRejected(path, JSON.stringify({ name: "x".repeat(20000) }), "Request body must be at most 16384 bytes", 413),
  );
});
