// Verifies Standard Webhooks signatures with the official library (https://github.com/standard-webhooks).
// Usage: node verify.mjs <file.json>, the file holding {"secret": "whsec_…", "headers": {...}, "body": "..."} or an
// array of them; prints one line per item, "ok" or "fail: <reason>", and exits 1 when any failed.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
let failed = false;
for (const item of Array.isArray(input) ? input : [input]) {
  try {
    const wh = new Webhook(item.secret.startsWith("whsec_") ? item.secret.substring(6) : item.secret);
    if (item.skipTimestamp) {
      // The spec's published vector is from 2021: check the signature alone, as the library's own tests do.
      const expected = wh.sign(item.headers["webhook-id"], new Date(Number(item.headers["webhook-timestamp"]) * 1000), item.body);
      if (!item.headers["webhook-signature"].split(" ").includes(expected)) throw new Error("signature mismatch, expected " + expected);
    } else {
      wh.verify(item.body, item.headers);
    }
    console.log("ok");
  } catch (e) {
    failed = true;
    console.log("fail: " + e.message);
  }
}
process.exit(failed ? 1 : 0);
