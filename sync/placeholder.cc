int shefu_sync_placeholder() { return 0; }
