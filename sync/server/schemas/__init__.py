"""Request and response models of the API (they make ``/openapi.json``)."""
