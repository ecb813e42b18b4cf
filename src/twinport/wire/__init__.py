"""One generic implementation of the AWS rest-json protocol, driven by botocore's service models."""
