// A TwinMaker bulk import as a JavaScript user runs it: bucket, workspace, upload, metadata
// transfer job, wait, list. Prints what the workspace then holds.
//
//   node import_job.mjs BULK_FILE ACCOUNT NAME
//
// ACCOUNT is the 12-digit account the role ARN names; NAME is both the bucket and workspace.

import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

import {
  CreateMetadataTransferJobCommand,
  CreateWorkspaceCommand,
  GetMetadataTransferJobCommand,
  IoTTwinMakerClient,
  paginateListComponentTypes,
  paginateListEntities,
} from "@aws-sdk/client-iottwinmaker";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

import { config, print, region, s3Config } from "./twinport.mjs";

const TERMINAL = ["COMPLETED", "ERROR", "CANCELLED"];
const TIMEOUT_MS = 120_000;

const [file, account, name] = process.argv.slice(2);
const s3 = new S3Client(s3Config());
const twinmaker = new IoTTwinMakerClient(config());

await s3.send(new CreateBucketCommand({ Bucket: name }));
const { arn: workspaceArn } = await twinmaker.send(
  new CreateWorkspaceCommand({
    workspaceId: name,
    s3Location: `arn:aws:s3:::${name}`,
    role: `arn:aws:iam::${account}:role/twinmaker`,
  }),
);
await s3.send(
  new PutObjectCommand({ Bucket: name, Key: "bulk.json", Body: await readFile(file) }),
);
const { metadataTransferJobId } = await twinmaker.send(
  new CreateMetadataTransferJobCommand({
    sources: [{ type: "s3", s3Configuration: { location: `arn:aws:s3:::${name}/bulk.json` } }],
    destination: { type: "iottwinmaker", iotTwinMakerConfiguration: { workspace: workspaceArn } },
  }),
);

const deadline = Date.now() + TIMEOUT_MS;
let job;
do {
  await sleep(50);
  job = await twinmaker.send(new GetMetadataTransferJobCommand({ metadataTransferJobId }));
} while (!TERMINAL.includes(job.status.state) && Date.now() < deadline);

const entityIds = [];
for await (const page of paginateListEntities({ client: twinmaker }, { workspaceId: name })) {
  entityIds.push(...page.entitySummaries.map((entity) => entity.entityId));
}
const componentTypeIds = [];
for await (const page of paginateListComponentTypes(
  { client: twinmaker },
  { workspaceId: name },
)) {
  componentTypeIds.push(...page.componentTypeSummaries.map((type) => type.componentTypeId));
}

print({
  region,
  workspaceArn,
  jobId: metadataTransferJobId,
  state: job.status.state,
  error: job.status.error ?? null,
  progress: job.progress,
  entityIds: entityIds.sort(),
  componentTypeIds: componentTypeIds.sort(),
});
