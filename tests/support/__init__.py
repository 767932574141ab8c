"""Test support shared by every test folder: the city-server process, free ports, builders.

Test modules import from here instead of from another folder's ``conftest.py`` or test module.
"""
