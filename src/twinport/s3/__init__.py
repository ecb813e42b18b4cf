"""S3 in twinport: the embedded S3 server and the S3 client of the job engine.

- `twinport.s3.embedded.EmbeddedS3(data_dir)`: the ASGI app that serves S3 requests (moto's
  S3 backend, durable, streaming object bytes), mounted by the gateway.
- `twinport.s3.client.s3_client(settings, scope)` and `presigned_get_url(...)`: how the
  engine reaches S3, the embedded one or any S3-compatible endpoint, only through boto3.

The two are imported from their modules: the client does not need moto, and this package
imports nothing so that using the client stays cheap.
"""
