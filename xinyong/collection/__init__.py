"""Collection (依目录归集): departments' files and API posts → validated, linked, stored records.

Entry point: `xinyong.collection.service.ingest`."""
