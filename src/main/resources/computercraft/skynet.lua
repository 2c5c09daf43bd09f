--[[ skynet.lua: a Skynet client for ComputerCraft, installed by skynet-bridge's installer.

Programs written for the stock Skynet client run unchanged:
  local skynet = require("skynet")
  skynet.open(42)                              -- listen on a channel (a whole number or a string)
  skynet.send(42, { temp = 21.5 })             -- send any Lua value; a third table adds top-level keys
  local channel, message, full = skynet.receive(42)
  parallel.waitForAny(skynet.listen, main)     -- pushes become "skynet_message" events

What it does better: channels are opened again after every reconnect; it reconnects with backoff
and never gives up; 5 and "5" are different channels; strings that are not UTF-8 travel as bytes;
an error from the server comes back as a value (nil, text) instead of stopping the program.
Wire: Skynet v2, CBOR in binary websocket frames (docs/computercraft.md says why).
The address comes from /skynet.cfg, written by the installer; set skynet.server to override it. ]]

local skynet = {
    version = "1.0",
    server = nil,                -- ws://host:port/connect/[token]
    socket = nil,                -- the open websocket, nil while disconnected
    open_channels = {},          -- the channels this computer listens on, in the order opened
    max_message_size = 131072,   -- CC's max_websocket_message default = the gateway's max-frame-size
    reconnect_delay = 1,         -- seconds before the first retry; doubles up to reconnect_max_delay
    reconnect_max_delay = 30,
    inbox_limit = 256,           -- pushes kept for a later receive() while receive(ch) waits for another channel
    on_warning = nil,            -- function(text) to handle connection warnings yourself
    stats = { sent = 0, received = 0, connects = 0, dropped = 0, server_errors = 0, bad_frames = 0 },
}

local CONFIG_PATH = "/skynet.cfg"
local TWO32, TWO52, TWO64 = 2 ^ 32, 2 ^ 52, 2 ^ 64
local floor, huge, char, byte, sub = math.floor, math.huge, string.char, string.byte, string.sub
local unpack = table.unpack or unpack

-- ------------------------------------------------------------------ CBOR (RFC 8949), our own codec

local CBOR = {}
skynet.CBOR = CBOR

-- CC's JSON sentinels mean the same here: an explicit null and an empty array.
local json_null = textutils and textutils.json_null
local empty_array = textutils and textutils.empty_json_array

local function be_bytes(n, count)   -- n: a non-negative whole number below 2^(8*count)
    local out = {}
    for i = count, 1, -1 do
        out[i] = n % 256
        n = floor(n / 256)
    end
    return char(unpack(out))
end

local function head(major, n)
    local m = major * 32
    if n < 24 then return char(m + n)
    elseif n < 256 then return char(m + 24, n)
    elseif n < 65536 then return char(m + 25) .. be_bytes(n, 2)
    elseif n < TWO32 then return char(m + 26) .. be_bytes(n, 4)
    else return char(m + 27) .. be_bytes(floor(n / TWO32), 4) .. be_bytes(n % TWO32, 4)
    end
end

-- x = m * 2^e with 0.5 <= m < 1, for finite x > 0 (our own: math.frexp is not in every Lua CC runs)
local function frexp(x)
    if x < 2 ^ -1000 then   -- scaled up first: 2^e of a subnormal's exponent is 0 in a double
        local m, e = frexp(x * 2 ^ 1000)
        return m, e - 1000
    end
    local e = math.min(floor(math.log(x) / math.log(2)) + 1, 1024)   -- 2^1024 would be infinite
    local m = x / 2 ^ (e - 1) / 2
    while m >= 1 do m, e = m / 2, e + 1 end
    while m < 0.5 do m, e = m * 2, e - 1 end
    return m, e
end

local function float64(x)
    local sign = 0
    if x < 0 or (x == 0 and 1 / x < 0) then sign, x = 128, -x end
    if x ~= x then return "\251\127\248\0\0\0\0\0\0" end
    local exponent, mantissa
    if x == huge then exponent, mantissa = 2047, 0
    elseif x == 0 then exponent, mantissa = 0, 0
    else
        local m, e = frexp(x)
        exponent = e + 1022
        if exponent <= 0 then   -- subnormal
            exponent, mantissa = 0, x * 2 ^ 1022 * TWO52
        else
            mantissa = (m * 2 - 1) * TWO52
        end
    end
    local high = floor(mantissa / TWO32)   -- the top 20 bits of the mantissa
    return char(251, sign + floor(exponent / 16), (exponent % 16) * 16 + floor(high / 65536))
        .. be_bytes(high % 65536, 2) .. be_bytes(mantissa % TWO32, 4)
end

local function continuation(s, i, low, high)
    local b = byte(s, i)
    return b ~= nil and b >= (low or 128) and b <= (high or 191)
end

--- Whether s is valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
function CBOR.is_utf8(s)
    if not s:find("[\128-\255]") then return true end
    local i, n = 1, #s
    while i <= n do
        local c = byte(s, i)
        if c < 128 then i = i + 1
        elseif c >= 194 and c <= 223 then
            if not continuation(s, i + 1) then return false end
            i = i + 2
        elseif c >= 224 and c <= 239 then
            local low, high = 128, 191
            if c == 224 then low = 160 elseif c == 237 then high = 159 end
            if not (continuation(s, i + 1, low, high) and continuation(s, i + 2)) then return false end
            i = i + 3
        elseif c >= 240 and c <= 244 then
            local low, high = 128, 191
            if c == 240 then low = 144 elseif c == 244 then high = 143 end
            if not (continuation(s, i + 1, low, high) and continuation(s, i + 2) and continuation(s, i + 3)) then
                return false
            end
            i = i + 4
        else return false
        end
    end
    return true
end

-- Keys 1..n with nothing else make an array; anything else (and the empty table) a map, as CC's JSON does.
local function array_length(t)
    local count, max = 0, 0
    for k in pairs(t) do
        if type(k) ~= "number" or k < 1 or floor(k) ~= k then return nil end
        count = count + 1
        if k > max then max = k end
    end
    if count > 0 and count == max then return count end
    return nil
end

local function describe(path)
    return table.concat(path)
end

local encode_into

local function encode_number(out, x)
    if x == x and x ~= huge and x ~= -huge and floor(x) == x and not (x == 0 and 1 / x < 0) then
        if x >= 0 and x < TWO64 then out[#out + 1] = head(0, x) return end
        if x < 0 and -1 - x < TWO64 then out[#out + 1] = head(1, -1 - x) return end
    end
    out[#out + 1] = float64(x)
end

encode_into = function(out, value, path, seen)
    local kind = type(value)
    if kind == "nil" or (json_null ~= nil and value == json_null) then out[#out + 1] = "\246"
    elseif kind == "boolean" then out[#out + 1] = value and "\245" or "\244"
    elseif kind == "number" then encode_number(out, value)
    elseif kind == "string" then
        out[#out + 1] = head(CBOR.is_utf8(value) and 3 or 2, #value)
        out[#out + 1] = value
    elseif kind == "table" then
        if empty_array ~= nil and value == empty_array then out[#out + 1] = "\128" return end
        if seen[value] then error("cannot send " .. describe(path) .. ": the table contains itself", 0) end
        if #path > 100 then error("cannot send " .. describe(path) .. ": nested more than 100 deep", 0) end
        seen[value] = true
        local n = array_length(value)
        if n then
            out[#out + 1] = head(4, n)
            for i = 1, n do
                path[#path + 1] = "[" .. i .. "]"
                encode_into(out, value[i], path, seen)
                path[#path] = nil
            end
        else
            local count = 0
            for _ in pairs(value) do count = count + 1 end
            out[#out + 1] = head(5, count)
            for k, v in pairs(value) do
                path[#path + 1] = type(k) == "string" and ("." .. k) or ("[" .. tostring(k) .. "]")
                encode_into(out, k, path, seen)
                encode_into(out, v, path, seen)
                path[#path] = nil
            end
        end
        seen[value] = nil
    else
        error("cannot send " .. describe(path) .. ": a " .. kind .. " has no wire form", 0)
    end
end

--- Encodes a Lua value as CBOR. Raises an error naming the offending field for functions and cycles.
function CBOR.encode(value, name)
    local out = {}
    encode_into(out, value, { name or "the value" }, {})
    return table.concat(out)
end

local function fail(pos, text)
    error(("CBOR: %s at byte %d"):format(text, pos), 0)
end

local function read_uint(s, pos, info)   -- pos: the byte after the head
    if info < 24 then return info, pos end
    local size = info == 24 and 1 or info == 25 and 2 or info == 26 and 4 or info == 27 and 8
    if not size then fail(pos - 1, "reserved additional info " .. info) end
    if pos + size - 1 > #s then fail(pos, "unexpected end of data") end
    local n = 0
    for i = pos, pos + size - 1 do n = n * 256 + byte(s, i) end
    return n, pos + size
end

local function read_float(s, pos, size)
    if pos + size - 1 > #s then fail(pos, "unexpected end of data") end
    local exponent_bits, mantissa_bits = 5, 10
    if size == 4 then exponent_bits, mantissa_bits = 8, 23 elseif size == 8 then exponent_bits, mantissa_bits = 11, 52 end
    -- A double's 64 bits do not fit a Lua number exactly: read the top 32 and the rest apart.
    local top_size = math.min(size, 4)
    local top, low = 0, 0
    for i = pos, pos + top_size - 1 do top = top * 256 + byte(s, i) end
    for i = pos + top_size, pos + size - 1 do low = low * 256 + byte(s, i) end
    local low_bits = (size - top_size) * 8
    local top_mantissa_bits = mantissa_bits - low_bits
    local mantissa = (top % 2 ^ top_mantissa_bits) * 2 ^ low_bits + low
    local rest = floor(top / 2 ^ top_mantissa_bits)
    local exponent = rest % 2 ^ exponent_bits
    local negative = rest >= 2 ^ exponent_bits
    local bias, max = 2 ^ (exponent_bits - 1) - 1, 2 ^ exponent_bits - 1
    local value
    if exponent == max then value = mantissa == 0 and huge or 0 / 0
    elseif exponent == 0 then value = mantissa / 2 ^ mantissa_bits * 2 ^ (1 - bias)
    else value = (1 + mantissa / 2 ^ mantissa_bits) * 2 ^ (exponent - bias)
    end
    if negative then value = -value end
    return value, pos + size
end

local read_item

local function read_string(s, pos, info, major)
    if info == 31 then   -- indefinite: definite chunks of the same type up to a break
        local parts = {}
        while true do
            local b = byte(s, pos)
            if b == nil then fail(pos, "unexpected end of data") end
            if b == 255 then return table.concat(parts), pos + 1 end
            if floor(b / 32) ~= major or b % 32 == 31 then fail(pos, "bad chunk in an indefinite string") end
            parts[#parts + 1], pos = read_string(s, pos + 1, b % 32, major)
        end
    end
    local length
    length, pos = read_uint(s, pos, info)
    if pos + length - 1 > #s then fail(pos, "string runs past the end of data") end
    return sub(s, pos, pos + length - 1), pos + length
end

local function read_container(s, pos, info, major, depth)
    local result, count = {}, nil
    if info ~= 31 then count, pos = read_uint(s, pos, info) end
    local i = 0
    while true do
        if count then
            if i >= count then break end
        else
            local b = byte(s, pos)
            if b == nil then fail(pos, "unexpected end of data") end
            if b == 255 then pos = pos + 1 break end
        end
        i = i + 1
        if major == 4 then
            result[i], pos = read_item(s, pos, depth + 1)
        else
            local key, value
            key, pos = read_item(s, pos, depth + 1)
            value, pos = read_item(s, pos, depth + 1)
            if key ~= nil and key == key then result[key] = value end
        end
    end
    return result, pos
end

read_item = function(s, pos, depth)
    if depth > 128 then fail(pos, "nested too deep") end
    local b = byte(s, pos)
    if b == nil then fail(pos, "unexpected end of data") end
    local major, info = floor(b / 32), b % 32
    pos = pos + 1
    if major == 0 then return read_uint(s, pos, info)
    elseif major == 1 then
        local n
        n, pos = read_uint(s, pos, info)
        return -1 - n, pos
    elseif major == 2 or major == 3 then return read_string(s, pos, info, major)
    elseif major == 4 or major == 5 then return read_container(s, pos, info, major, depth)
    elseif major == 6 then   -- a tag: its meaning is not ours to keep, the value is
        local _
        _, pos = read_uint(s, pos, info)
        return read_item(s, pos, depth + 1)
    end
    if info == 20 then return false, pos
    elseif info == 21 then return true, pos
    elseif info == 22 or info == 23 then return nil, pos
    elseif info == 24 then return nil, pos + 1
    elseif info == 25 then return read_float(s, pos, 2)
    elseif info == 26 then return read_float(s, pos, 4)
    elseif info == 27 then return read_float(s, pos, 8)
    elseif info < 20 then return nil, pos
    end
    fail(pos - 1, info == 31 and "unexpected break" or "reserved simple value")
end

--- Decodes one CBOR item. Text and byte strings both become Lua strings; null becomes nil.
function CBOR.decode(s)
    local value, pos = read_item(s, 1, 0)
    if pos <= #s then fail(pos, "trailing data") end
    return value
end

-- ------------------------------------------------------------------ configuration and warnings

local function load_config()
    if not (fs and fs.exists and fs.exists(CONFIG_PATH)) then return end
    local handle = fs.open(CONFIG_PATH, "r")
    if not handle then return end
    local text = handle.readAll()
    handle.close()
    local config = textutils and textutils.unserialise(text or "")
    if type(config) ~= "table" then
        if printError then printError("skynet: " .. CONFIG_PATH .. " is not a Lua table; run the installer again") end
        return
    end
    for _, key in ipairs({ "server", "max_message_size", "reconnect_delay", "reconnect_max_delay" }) do
        if config[key] ~= nil then skynet[key] = config[key] end
    end
end

--- The address as it may be shown: a token in /connect/<token> stays off the screen.
local function shown(url)
    return (tostring(url):gsub("(/connect/)[^/?#]+", "%1<token>"))
end

local last_warning, last_warning_at, repeats = nil, nil, 0

local function warn(text)
    if skynet.on_warning then return skynet.on_warning(text) end
    local now = os.clock()
    -- The same warning at most every 30 s: a computer retrying all night must not flood its screen.
    if text == last_warning and now - last_warning_at < 30 then
        repeats = repeats + 1
        return
    end
    if repeats > 0 and text == last_warning then text = text .. (" (%d more times)"):format(repeats) end
    last_warning, last_warning_at, repeats = text, now, 0
    if printError then printError(text) else print(text) end
end

-- What CC: Tweaked's own error texts mean here; "permanent" ones are returned, not retried.
local PROBLEMS = {
    { "Domain not permitted", true, "CC: Tweaked's HTTP rules deny this address; allow it before the $private deny"
        .. " rule in serverconfig/computercraft-server.toml" },
    { "disabled", true, "the http API or its websockets are off in computercraft-server.toml" },
    { "URL malformed", true, "skynet.server is not a ws:// address" },
    { "Invalid scheme", true, "skynet.server must start with ws:// or wss://" },
    { "secure connection", true, "wss:// needs a certificate Java trusts; on a home network use ws://" },
    { "getStatus: 404", true, "the gateway has no websocket there: the address must end in /connect/" },
    { "getStatus: 4", true, "the gateway refused this computer: check the token (install again with ?token=)" },
    { "Too many websockets", false, "this computer has CC's maximum of websockets open (http.max_websockets)" },
    { "Unknown host", false, "the name does not resolve on the Minecraft server; try the gateway's IP address" },
    { "Timed out", false, "no answer: is a firewall dropping the gateway's port?" },
    { "Could not connect", false, "is the gateway running, and is its port reachable from the Minecraft server?" },
    { "Connection closed", false, "the gateway closed the connection" },
}

local function explain(err)
    err = tostring(err)
    for _, problem in ipairs(PROBLEMS) do
        if err:find(problem[1], 1, true) then return err .. " (" .. problem[3] .. ")", problem[2] end
    end
    return err, false
end

-- ------------------------------------------------------------------ connection

local state = {
    url = nil,           -- the URL the open socket was made with: CC's events carry it
    connecting = false,  -- one coroutine connects; the others wait for its "skynet_connection" event
    wanted = true,       -- false after disconnect(): listen() ends instead of reconnecting
    listening = false,
    failures = 0,
    inbox = {},
}

local open_set = {}   -- channel -> true; Lua keeps 5 and "5" apart

local function check_channel(channel, level)
    local kind = type(channel)
    if kind == "number" then
        if channel == channel and floor(channel) == channel and channel >= -2 ^ 63 and channel < 2 ^ 63 then
            return channel
        end
        error(("skynet: channel %s is not a whole number (use a whole number or a string)"):format(tostring(channel)), level + 1)
    elseif kind == "string" then
        if CBOR.is_utf8(channel) then return channel end
        error("skynet: a channel name must be UTF-8 text", level + 1)
    end
    error("skynet: a channel is a whole number or a string, not a " .. kind, level + 1)
end

local function request(kind, arg)
    return CBOR.encode({ kind, arg }, "the request")
end

local function drop_socket(socket, reason)
    if skynet.socket ~= socket then return end
    skynet.socket = nil
    pcall(socket.close)
    os.queueEvent("skynet_connection", "down", reason)
end

local function raw_send(bytes)
    local socket = skynet.socket
    if not socket then return nil, "not connected", true end
    local ok, err = pcall(socket.send, bytes, true)
    if ok then return true end
    err = tostring(err)
    if err:find("closed", 1, true) then
        drop_socket(socket, err)
        return nil, err, true
    end
    return nil, "skynet: " .. err, false
end

local function open_socket()
    local url = skynet.server
    if type(url) ~= "string" or url == "" then
        return nil, "skynet: no server address: run the gateway's installer (wget run http://<gateway>:3030/install)"
            .. " or set skynet.server", true
    end
    if not (http and http.websocket) then
        return nil, "skynet: the http API is off (http.enabled in computercraft-server.toml)", true
    end
    local ok, socket, err = pcall(http.websocket, url)
    if not ok then socket, err = nil, socket end
    if not socket then
        local text, permanent = explain(err or "Could not connect")
        return nil, "skynet: cannot connect to " .. shown(url) .. ": " .. text, permanent
    end
    skynet.socket, state.url = socket, url
    for _, channel in ipairs(skynet.open_channels) do
        if not raw_send(request("open", channel)) then return nil, "skynet: connection lost while opening channels" end
    end
    return true
end

local function backoff(attempt)
    local delay = math.min(skynet.reconnect_max_delay, skynet.reconnect_delay * 2 ^ (attempt - 1))
    return math.min(skynet.reconnect_max_delay, delay * (0.75 + math.random() * 0.5))
end

local function connect_loop(deadline)
    local attempt = 0
    while true do
        local ok, err, permanent = open_socket()
        if ok then
            skynet.stats.connects = skynet.stats.connects + 1
            if state.failures > 0 then warn("skynet: connected to " .. shown(state.url)) end
            state.failures = 0
            os.queueEvent("skynet_connection", "up", shown(state.url))
            return true
        end
        attempt, state.failures = attempt + 1, state.failures + 1
        if permanent then
            os.queueEvent("skynet_connection", "failed", err)
            return nil, err
        end
        local delay = backoff(attempt)
        if deadline and os.clock() + delay > deadline then return nil, "timeout" end
        warn(err .. "; retrying")
        sleep(delay)
    end
end

--- Connects unless connected; waits for another coroutine that is connecting. Retries until connected,
--- except after a refusal that retrying cannot fix: then returns nil and the reason.
local function ensure_connected(deadline)
    while state.connecting do
        if skynet.socket then return true end
        os.pullEvent("skynet_connection")
    end
    if skynet.socket then return true end
    state.connecting = true
    local ok, result, err = pcall(connect_loop, deadline)
    state.connecting = false
    if not ok then
        os.queueEvent("skynet_connection", "failed", tostring(result))
        error(result, 0)
    end
    return result, err
end

local function transmit(bytes)
    for _ = 1, 2 do   -- a connection found dead while sending is replaced once, channels re-opened first
        local ok, err = ensure_connected()
        if not ok then return nil, err end
        local sent, send_err, lost = raw_send(bytes)
        if sent then return true end
        if not lost then return nil, send_err end
    end
    return nil, "skynet: the connection closed twice while sending"
end

-- ------------------------------------------------------------------ receiving

local function wait_socket_event(timer)
    local socket, url = skynet.socket, state.url
    while true do
        local event, a, b = os.pullEvent()
        if event == "websocket_message" and a == url and skynet.socket == socket then
            return "frame", b
        elseif event == "websocket_closed" and a == url and skynet.socket == socket then
            drop_socket(socket, b or "closed by the server")
            warn("skynet: connection to " .. shown(url) .. " lost; reconnecting")
            return "closed"
        elseif event == "timer" and timer ~= nil and a == timer then
            return "timeout"
        elseif event == "skynet_connection" and skynet.socket ~= socket then
            return "changed"
        end
    end
end

local function parse_frame(bytes)
    local ok, frame = pcall(CBOR.decode, bytes)
    if ok and type(frame) == "table" then
        if frame[1] == "message" and type(frame[2]) == "table" then
            skynet.stats.received = skynet.stats.received + 1
            return "message", frame[2]
        elseif frame[1] == "error" then
            skynet.stats.server_errors = skynet.stats.server_errors + 1
            local kind, detail = tostring(frame[2]), tostring(frame[3])
            return "error", "skynet server error (" .. kind .. "): " .. detail, { type = "error", kind = kind, detail = detail }
        end
    end
    skynet.stats.bad_frames = skynet.stats.bad_frames + 1
    warn("skynet: ignored a frame the client cannot read (" .. (ok and "unknown shape" or tostring(frame)) .. ")")
end

local function matches(wanted, channel)
    return wanted == nil or wanted == "*" or wanted == channel
end

local function inbox_put(full)
    local inbox = state.inbox
    if #inbox >= skynet.inbox_limit then
        table.remove(inbox, 1)
        skynet.stats.dropped = skynet.stats.dropped + 1
        warn("skynet: dropped messages nobody received (receive() waits for one channel while others arrive;"
            .. " use listen() for several)")
    end
    inbox[#inbox + 1] = full
end

local function inbox_take(channel)
    for i, full in ipairs(state.inbox) do
        if matches(channel, full.channel) then return table.remove(state.inbox, i) end
    end
end

local function cancel(timer)
    if timer and os.cancelTimer then os.cancelTimer(timer) end
end

-- While listen() runs it owns the socket; receive() then takes the events it queues.
local function receive_from_listener(channel, timer)
    while true do
        local event, a, b, c = os.pullEvent()
        if event == "skynet_message" and matches(channel, a) then
            cancel(timer)
            return a, b, c
        elseif event == "skynet_error" then
            cancel(timer)
            return nil, a, b
        elseif event == "timer" and timer ~= nil and a == timer then
            return nil, "timeout"
        end
    end
end

-- ------------------------------------------------------------------ the API

function skynet.connect(force)
    state.wanted = true
    if force and skynet.socket then drop_socket(skynet.socket, "reconnect asked for") end
    return ensure_connected()
end

--- Closes the connection; listen() ends. The next open, send or receive connects again.
function skynet.disconnect()
    state.wanted = false
    if skynet.socket then drop_socket(skynet.socket, "disconnect() called") end
end

function skynet.open(channel)
    check_channel(channel, 2)
    state.wanted = true
    if open_set[channel] and skynet.socket then return true end
    if not open_set[channel] then
        open_set[channel] = true
        skynet.open_channels[#skynet.open_channels + 1] = channel
    end
    if skynet.socket and raw_send(request("open", channel)) then return true end
    return ensure_connected()   -- a new connection opens every channel, this one included
end

function skynet.close(channel)
    check_channel(channel, 2)
    if not open_set[channel] then return true end
    open_set[channel] = nil
    for i, open in ipairs(skynet.open_channels) do
        if open == channel then table.remove(skynet.open_channels, i) break end
    end
    if skynet.socket then raw_send(request("close", channel)) end
    return true
end

--- Sends message on channel; extra's keys travel beside it at the top level. Returns true, or nil and why.
function skynet.send(channel, message, extra)
    check_channel(channel, 2)
    if extra ~= nil and type(extra) ~= "table" then error("skynet.send: extra must be a table", 2) end
    local fields = {}
    for k, v in pairs(extra or {}) do fields[k] = v end
    fields.channel, fields.message = nil, nil
    local ok, body = pcall(function()
        local out = { head(4, 2), head(3, 7), "message" }
        local count = 2
        for _ in pairs(fields) do count = count + 1 end
        out[#out + 1] = head(5, count)
        out[#out + 1] = CBOR.encode("channel") .. CBOR.encode(channel)
        out[#out + 1] = CBOR.encode("message") .. CBOR.encode(message, "the message")
        for k, v in pairs(fields) do
            out[#out + 1] = CBOR.encode(k, "extra") .. CBOR.encode(v, "extra." .. tostring(k))
        end
        return table.concat(out)
    end)
    if not ok then error("skynet.send: " .. tostring(body), 2) end
    if #body > skynet.max_message_size then
        return nil, ("skynet.send: the message is %d bytes encoded; ComputerCraft and the gateway take at most %d"
            .. " (http rule max_websocket_message, gateway skynet.server.max-frame-size)"):format(#body, skynet.max_message_size)
    end
    local sent, err = transmit(body)
    if sent then skynet.stats.sent = skynet.stats.sent + 1 end
    return sent, err
end

--- Waits for a message on channel (any channel when nil or "*"), opening it first.
--- Returns channel, message and the full message table; or nil and a reason: a server error,
--- "timeout" after timeout seconds, or a refusal that reconnecting cannot fix.
function skynet.receive(channel, timeout)
    if channel ~= nil then
        local ok, err = skynet.open(channel)
        if not ok then return nil, err end
    end
    state.wanted = true
    local kept = inbox_take(channel)
    if kept then return kept.channel, kept.message, kept end
    local timer = timeout and os.startTimer(timeout)
    if state.listening then return receive_from_listener(channel, timer) end
    local deadline = timeout and os.clock() + timeout
    while true do
        if not skynet.socket then
            local ok, err = ensure_connected(deadline)
            if not ok then cancel(timer) return nil, err end
        end
        local kind, data = wait_socket_event(timer)
        if kind == "timeout" then return nil, "timeout" end
        if kind == "frame" then
            local what, a, b = parse_frame(data)
            if what == "message" then
                if matches(channel, a.channel) then cancel(timer) return a.channel, a.message, a end
                inbox_put(a)
            elseif what == "error" then
                cancel(timer)
                return nil, a, b
            end
        end
    end
end

local function listen_loop()
    while #state.inbox > 0 do
        local full = table.remove(state.inbox, 1)
        os.queueEvent("skynet_message", full.channel, full.message, full)
    end
    while true do
        if not skynet.socket then
            if not state.wanted then return end
            local ok, err = ensure_connected()
            if not ok then
                -- A refusal: tell the program, and try again later in case the gateway's owner fixes it.
                os.queueEvent("skynet_error", err)
                sleep(skynet.reconnect_max_delay)
            end
        else
            local kind, data = wait_socket_event(nil)
            if kind == "frame" then
                local what, a, b = parse_frame(data)
                if what == "message" then
                    os.queueEvent("skynet_message", a.channel, a.message, a)
                elseif what == "error" then
                    os.queueEvent("skynet_error", a, b)
                end
            end
        end
    end
end

--- Turns pushes into "skynet_message" events (channel, message, full) and server errors into
--- "skynet_error" events (text, details), reconnecting as needed. Run it beside your program:
--- parallel.waitForAny(skynet.listen, main). Returns after disconnect().
function skynet.listen(force)
    if state.listening and not force then return end
    state.listening, state.wanted = true, true
    local ok, err = pcall(listen_loop)
    state.listening = false
    if not ok then error(err, 0) end
end

function skynet.logs()
    error("skynet.logs: Skynet v2 keeps no message log", 2)
end

load_config()
return skynet
