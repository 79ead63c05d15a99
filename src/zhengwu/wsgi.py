import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwu.settings")
application = get_wsgi_application()

# Import every view now (the URLconf loads them), then take all that start-up made out of the cyclic
# garbage collector's sight: none of it becomes garbage, yet each full collection walked it again.
get_resolver().url_patterns  # noqa: B018 (reading the property imports the URLconf and its views)
gc.freeze()
