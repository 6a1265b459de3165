int shefu_server_placeholder() { return 0; }
