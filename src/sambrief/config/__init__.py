"""The workspace's configuration: loading, schema, wording of errors, discovery, typed settings."""
