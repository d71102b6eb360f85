"""One dynamic partition per document, keyed by the id ``pipeline.identity`` assigns (readable, stable)."""

import dagster as dg

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")
