"""One generic implementation of the AWS rest-json and query protocols, driven by botocore's
service models."""
