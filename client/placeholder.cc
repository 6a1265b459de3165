int shefu_client_placeholder() { return 0; }
