// The fake credentials the emulator accepts and the tests configure. Fake by
// design: they grant nothing anywhere.
export const FAKE_CREDENTIALS = Object.freeze({
  CLOUDFLARE_ACCOUNT_ID: "0123456789abcdef0123456789abcdef",
  CLOUDFLARE_REALTIME_APP_ID: "11111111-2222-4333-8444-555555555555",
  CLOUDFLARE_REALTIME_API_TOKEN: "fake-api-token-do-not-leak",
});
