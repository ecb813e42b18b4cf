// How the AWS SDK for JavaScript v3 reaches a twinport: the settings every client needs, and
// the few tools the test scripts share (a hook after signing, the outcome of a call).
//
// The scripts read TWINPORT_URL (the endpoint), AWS_REGION, AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY from the environment, and print one JSON document on stdout.

export const endpoint = required("TWINPORT_URL");
export const region = required("AWS_REGION");
export const goodKeys = {
  accessKeyId: required("AWS_ACCESS_KEY_ID"),
  secretAccessKey: required("AWS_SECRET_ACCESS_KEY"),
};

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

// TwinMaker's and SiteWise's models put "api." or "data." before the host: without
// disableHostPrefix the SDK asks DNS for api.127.0.0.1 and fails with ENOTFOUND.
export function config({ credentials = goodKeys, ...extra } = {}) {
  return { endpoint, region, credentials, disableHostPrefix: true, ...extra };
}

// Buckets by path: a host name such as localhost has no bucket subdomains (without
// forcePathStyle the SDK asks DNS for BUCKET.localhost).
export function s3Config(extra = {}) {
  return config({ forcePathStyle: true, ...extra });
}

// Runs `change(request)` on each request of `client` after it is signed, before it is sent.
export function afterSigning(client, name, change) {
  client.middlewareStack.addRelativeTo(
    (next) => async (args) => {
      change(args.request);
      return next(args);
    },
    { relation: "after", toMiddleware: "httpSigningMiddleware", name },
  );
}

// {status, code} of a call: its HTTP status, and "OK" or the service's error code.
export async function outcome(call) {
  try {
    const answer = await call();
    return { status: answer.$metadata.httpStatusCode, code: "OK" };
  } catch (error) {
    if (error.$metadata?.httpStatusCode === undefined) {
      throw error; // not an answer of the server: the test itself is broken
    }
    return { status: error.$metadata.httpStatusCode, code: error.name };
  }
}

export function print(document) {
  process.stdout.write(`${JSON.stringify(document)}\n`);
}
