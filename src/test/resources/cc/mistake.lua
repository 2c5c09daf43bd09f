-- A program that makes a mistake the server catches (extra's keys must be strings) and then
-- goes on: the server's error comes back from receive() as a value, and the connection stays usable.
local skynet = require("skynet")
skynet.open(7)
report("sent", skynet.send(7, "hello", { "a list is not a table of extra keys" }))
report("received", skynet.receive(7, 20))
report("received", skynet.receive(7, 20))
