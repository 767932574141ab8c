"""Everything about the wire between village and city: the shared report contract, the client, the server."""
