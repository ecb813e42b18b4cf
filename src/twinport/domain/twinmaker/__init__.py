"""AWS IoT TwinMaker workspaces, component types and entities: the rules of both drivers."""
