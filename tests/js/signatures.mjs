// Signatures of the AWS SDK for JavaScript v3 against a twinport run with `--auth verify`:
// requests signed with the good keys, and the same requests signed wrongly (other secret,
// unknown key, skewed clock, expired pre-signed URL, changed after signing).
//
//   node signatures.mjs BUCKET ACCOUNT
//
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are a key of the server's credentials file,
// of ACCOUNT.
// Prints {cases: {name: {status, code}}, streamHeaders, readBack, objects, workspaces,
// assetModels}; the caller judges each case.

import { Readable, Transform } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";

import {
  CreateAssetModelCommand,
  IoTSiteWiseClient,
  ListAssetModelsCommand,
} from "@aws-sdk/client-iotsitewise";
import {
  CreateWorkspaceCommand,
  IoTTwinMakerClient,
  ListWorkspacesCommand,
} from "@aws-sdk/client-iottwinmaker";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

import { afterSigning, config, goodKeys, outcome, print, s3Config } from "./twinport.mjs";

const [bucket, account] = process.argv.slice(2);
const HOUR_MS = 3_600_000;
const STREAMED = Buffer.alloc(200_000, "a"); // larger than one chunk of the SDK's aws-chunked

const signers = {
  good: { credentials: goodKeys },
  "wrong secret": { credentials: { ...goodKeys, secretAccessKey: "not-the-secret" } },
  "unknown key": { credentials: { accessKeyId: "AKIDNOBODY000000", secretAccessKey: "x" } },
  "clock an hour slow": { systemClockOffset: -HOUR_MS },
  "clock an hour fast": { systemClockOffset: HOUR_MS },
};

// A bad signature must be refused on the first try: no retries, no clock correction.
function clients(signer, extra = { maxAttempts: 1 }) {
  return {
    twinmaker: new IoTTwinMakerClient(config({ ...signer, ...extra })),
    sitewise: new IoTSiteWiseClient(config({ ...signer, ...extra })),
    s3: new S3Client(s3Config({ ...signer, ...extra })),
  };
}

const calls = {
  "twinmaker ListWorkspaces": (c) => c.twinmaker.send(new ListWorkspacesCommand({})),
  "sitewise ListAssetModels": (c) => c.sitewise.send(new ListAssetModelsCommand({})),
  "s3 ListBuckets": (c) => c.s3.send(new ListBucketsCommand({})),
  "s3 PutObject stream": (c, key) =>
    c.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: Readable.from([STREAMED]),
        ContentLength: STREAMED.length,
      }),
    ),
};

const cases = {};
const good = clients(signers.good, {});
await good.s3.send(new CreateBucketCommand({ Bucket: bucket }));

for (const [signer, settings] of Object.entries(signers)) {
  const made = clients(settings);
  for (const [call, send] of Object.entries(calls)) {
    const key = `${signer} ${call}`.replaceAll(" ", "-");
    cases[`${signer}: ${call}`] = await outcome(() => send(made, key));
  }
}

// What the SDK sends for a streamed body: the headers as they leave, after signing.
const streamHeaders = {};
const peeking = clients(signers.good, {});
afterSigning(peeking.s3, "peek", (request) => Object.assign(streamHeaders, request.headers));
cases["good: s3 PutObject stream, headers seen"] = await outcome(() =>
  calls["s3 PutObject stream"](peeking, "streamed"),
);
const read = await good.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "streamed" }));
const readBack = Buffer.from(await read.Body.transformToByteArray()).equals(STREAMED);

cases["good: twinmaker CreateWorkspace"] = await outcome(() =>
  good.twinmaker.send(new CreateWorkspaceCommand(workspace(`${bucket}-signed`))),
);
cases["good: sitewise CreateAssetModel"] = await outcome(() =>
  good.sitewise.send(new CreateAssetModelCommand({ assetModelName: `${bucket} signed` })),
);
cases["good: s3 PutObject bytes"] = await outcome(() =>
  good.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "bytes", Body: "signed bytes" })),
);

// The SDK corrects its clock from the Date of a refusal and tries again: that retry passes.
const corrected = new IoTTwinMakerClient(config({ systemClockOffset: -HOUR_MS }));
cases["clock corrected by the SDK: twinmaker ListWorkspaces"] = await outcome(() =>
  corrected.send(new ListWorkspacesCommand({})),
);

// Changed after signing: the body (same length, other bytes), or the object key.
const tampered = clients(signers.good);
afterSigning(tampered.twinmaker, "tamper", changeBody);
afterSigning(tampered.sitewise, "tamper", changeBody);
cases["body changed after signing: twinmaker CreateWorkspace"] = await outcome(() =>
  tampered.twinmaker.send(new CreateWorkspaceCommand(workspace(`${bucket}-tampered`))),
);
cases["body changed after signing: sitewise CreateAssetModel"] = await outcome(() =>
  tampered.sitewise.send(new CreateAssetModelCommand({ assetModelName: `${bucket} tampered` })),
);
afterSigning(tampered.s3, "tamper", changeBody);
cases["body changed after signing: s3 PutObject bytes"] = await outcome(() =>
  tampered.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "tampered", Body: "tampered" })),
);
cases["body changed after signing: s3 PutObject stream"] = await outcome(() =>
  calls["s3 PutObject stream"](tampered, "tampered-stream"),
);
const moved = clients(signers.good);
afterSigning(moved.s3, "move", (request) => {
  request.path = request.path.replace("/moved", "/elsewhere");
});
cases["key changed after signing: s3 PutObject bytes"] = await outcome(() =>
  moved.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "moved", Body: "moved" })),
);

// Pre-signed URLs: one used in time, one used after it expired.
const object = new GetObjectCommand({ Bucket: bucket, Key: "bytes" });
cases["good: s3 presigned GET"] = await fetched(
  await getSignedUrl(good.s3, object, { expiresIn: 60 }),
);
const expiring = await getSignedUrl(good.s3, object, { expiresIn: 1 });
await sleep(2_500);
cases["expired: s3 presigned GET"] = await fetched(expiring);

// What the refused requests left behind: nothing.
const listed = await good.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
const objects = (listed.Contents ?? []).map((found) => found.Key).sort();
const { workspaceSummaries } = await good.twinmaker.send(new ListWorkspacesCommand({}));
const workspaces = workspaceSummaries.map((found) => found.workspaceId).sort();
const { assetModelSummaries } = await good.sitewise.send(new ListAssetModelsCommand({}));
const assetModels = assetModelSummaries.map((found) => found.name).sort();

print({ cases, streamHeaders, readBack, objects, workspaces, assetModels });

function workspace(workspaceId) {
  return {
    workspaceId,
    description: "tampered",
    s3Location: `arn:aws:s3:::${bucket}`,
    role: `arn:aws:iam::${account}:role/twinmaker`,
  };
}

// The body changed after signing, its length kept: "tampered" becomes "tamperee" in a body
// of bytes or text; one byte flipped past the first chunk's size line in a stream.
function changeBody(request) {
  const body = request.body;
  if (typeof body === "string" || body instanceof Uint8Array) {
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    request.body = Buffer.from(text.replace("tampered", "tamperee"));
  } else {
    request.body = body.pipe(flipByteAt(1_000));
  }
}

function flipByteAt(position) {
  let seen = 0;
  return new Transform({
    transform(piece, _encoding, done) {
      const copy = Buffer.from(piece);
      if (position >= seen && position < seen + copy.length) {
        copy[position - seen] ^= 1;
      }
      seen += copy.length;
      done(null, copy);
    },
  });
}

async function fetched(url) {
  const answer = await fetch(url);
  const text = await answer.text();
  const code = answer.ok ? "OK" : (/<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? text);
  return { status: answer.status, code };
}
