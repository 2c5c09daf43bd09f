-- Connects to a path the gateway has no websocket at: open returns the refusal, nothing is raised.
local skynet = require("skynet")
skynet.server = ...
report("opened", skynet.open(1))
