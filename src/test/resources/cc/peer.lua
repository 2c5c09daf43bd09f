-- A test program for an emulated computer: opens the channels it is given ("n:5" numeric,
-- "s:5" string), reports every push and server error, and sends on "test_command" events.
local skynet = require("skynet")
skynet.reconnect_delay, skynet.reconnect_max_delay = 0.1, 0.5
skynet.on_warning = function(text) report("warning", text) end

local function channel(spec)
    local kind, name = spec:match("^(%a):(.*)$")
    if kind == "n" then return tonumber(name) end
    return name
end

local SAMPLES = {
    table = { name = "alpha", list = { 1, 2.5, "three" }, nested = { ok = true, off = false } },
    bytes = "\255\254\0binary\128",
    utf8 = "caf\195\169",
    integer = 42,
    float = 2.5,
    big = 2 ^ 53,
    extra = { sender = "peer", ["caf\195\169"] = "a UTF-8 key" },
}

for _, spec in ipairs({ ... }) do
    local ok, err = skynet.open(channel(spec))
    report("opened", spec, ok, err)
end
report("ready", os.getComputerID())

local function commands()
    while true do
        local _, command, spec, sample, extra = os.pullEvent("test_command")
        if command == "send" then
            local ok, err = skynet.send(channel(spec), SAMPLES[sample], extra and SAMPLES[extra])
            report("sent", ok, err)
        end
    end
end

local function events()
    while true do
        local event, a, b, c = os.pullEvent()
        if event == "skynet_message" then
            report("message", type(a), a, b, c)
        elseif event == "skynet_error" then
            report("error", a, b)
        elseif event == "skynet_connection" then
            report("connection", a)
        end
    end
end

parallel.waitForAny(skynet.listen, commands, events)
