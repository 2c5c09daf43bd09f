-- A computer whose token may read channel 1 but not 2 (and write nothing but 1): each refusal comes
-- back from the library as a value with the server's text; the program goes on.
local skynet = require("skynet")
report("open1", skynet.open(1))
report("open2", skynet.open(2))
report("received", skynet.receive(2, 20))
report("sent", skynet.send(3, "not allowed"))
report("received", skynet.receive(nil, 20))
report("received", skynet.receive(1, 20))
