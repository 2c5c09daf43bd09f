--[[ skynet-demo: sends this computer's id, label and a reading on a Skynet channel every few
seconds, and prints whatever arrives on that channel (from other computers, or from MQTT).

  skynet-demo [channel] [seconds]      defaults: channel "demo", every 5 seconds

On the gateway's machine:  mosquitto_sub -p 1884 -t 'skynet/#' -v
To answer from MQTT:       mosquitto_pub -p 1884 -t skynet/s/demo -m '{"hello":"computer"}'
(a numeric channel such as 42 is topic skynet/n/42). Hold Ctrl+T to stop. ]]

local skynet = require("skynet")

local args = { ... }
local channel = args[1] or "demo"
if tonumber(channel) then channel = tonumber(channel) end
local interval = tonumber(args[2]) or 5

-- A short one-line view of any value, so a received table fits on the screen.
local function show(value, depth)
    depth = depth or 0
    if type(value) == "string" then return (("%q"):format(value):gsub("\\\n", "\\n")) end
    if type(value) ~= "table" then return tostring(value) end
    if depth > 2 then return "{...}" end
    local parts = {}
    for k, v in pairs(value) do
        parts[#parts + 1] = (type(k) == "string" and k or "[" .. show(k, depth + 1) .. "]") .. "=" .. show(v, depth + 1)
        if #parts >= 8 then parts[#parts + 1] = "..." break end
    end
    return "{" .. table.concat(parts, ", ") .. "}"
end

local function topic(ch)
    return type(ch) == "number" and ("skynet/n/" .. ch) or ("skynet/s/" .. ch)
end

print(("Connecting to %s ..."):format((tostring(skynet.server):gsub("(/connect/)[^/?#]+", "%1<token>"))))
local ok, err = skynet.open(channel)
if not ok then
    printError(err)
    printError("See docs/computercraft.md on the gateway for the fix.")
    return
end
print(("Connected. Sending on channel %s (MQTT topic %s) every %d s."):format(show(channel), topic(channel), interval))

local function sender()
    local count = 0
    while true do
        count = count + 1
        local reading = {
            id = os.getComputerID(),
            label = os.getComputerLabel(),   -- nil (left out) on a computer without a label
            reading = os.time(),              -- the in-game time of day, 0 to 24: it changes as you watch
            count = count,
        }
        local sent, why = skynet.send(channel, reading)
        if sent then
            print(("-> #%d sent (time %.2f)"):format(count, reading.reading))
        else
            printError("send failed: " .. tostring(why))
        end
        sleep(interval)
    end
end

local function printer()
    while true do
        local event, a, b = os.pullEvent()
        if event == "skynet_message" and a == channel then
            print("<- " .. show(b))
        elseif event == "skynet_error" then
            printError(a)
        end
    end
end

parallel.waitForAny(skynet.listen, sender, printer)
