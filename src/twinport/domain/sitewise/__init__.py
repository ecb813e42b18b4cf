"""AWS IoT SiteWise asset models and assets: the rules of both drivers."""
