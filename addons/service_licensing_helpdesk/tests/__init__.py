from . import test_change_request
