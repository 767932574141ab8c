"""Everything about the wire between village and city.

The shared report contract, the sync client and the city server.
"""
