"""One dynamic partition per document, keyed by a stable id derived from its file name."""

import dagster as dg

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")
