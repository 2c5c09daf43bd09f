--[[ A stand-in for the parts of CraftOS (ComputerCraft's BIOS and ROM) that the installer and the
Skynet client use, written for the tests from CC: Tweaked's documented behaviour: events and
coroutines (os.pullEvent, timers, sleep, parallel), http.get and http.websocket over real
sockets (the natives are Java: testsupport.cc), fs rooted in a temporary folder, textutils,
print, require relative to the running program, and "wget run". Called with the natives table;
returns the function that runs a computer's top-level program and dispatches its events. ]]

local native = ...

-- ------------------------------------------------------------------ os and events

os = {}

function os.pullEventRaw(filter)
    return coroutine.yield(filter)
end

function os.pullEvent(filter)
    local event = table.pack(coroutine.yield(filter))
    if event[1] == "terminate" then error("Terminated", 0) end
    return table.unpack(event, 1, event.n)
end

os.queueEvent = native.queue_event
os.startTimer = native.start_timer
os.cancelTimer = native.cancel_timer
os.clock = native.clock
os.epoch = native.epoch
os.time = native.time
os.day = function() return 1 end
os.getComputerID = native.computer_id
os.computerID = native.computer_id
os.getComputerLabel = native.get_label
os.computerLabel = native.get_label
os.setComputerLabel = native.set_label
os.version = function() return "CraftOS 1.9 (skynet-bridge test stand-in)" end

function sleep(seconds)
    local timer = os.startTimer(seconds or 0)
    repeat
        local _, id = os.pullEvent("timer")
    until id == timer
end
os.sleep = sleep

-- ------------------------------------------------------------------ terminal

local pending = ""

function write(text)
    pending = pending .. tostring(text)
end

function print(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
    native.print(pending .. table.concat(parts, "\t"))
    pending = ""
    return 1
end

function printError(...)
    print(...)
end

function report(...)
    native.report(...)
end

-- ------------------------------------------------------------------ textutils

textutils = {
    json_null = setmetatable({}, { __tostring = function() return "json_null" end }),
    empty_json_array = setmetatable({}, { __tostring = function() return "empty_json_array" end }),
}

local function serialise(value, indent)
    local kind = type(value)
    if kind == "string" then return ("%q"):format(value) end
    if kind == "number" or kind == "boolean" or kind == "nil" then return tostring(value) end
    if kind ~= "table" then error("Cannot serialize type " .. kind, 0) end
    local inner = indent .. "  "
    local lines = {}
    for k, v in pairs(value) do
        lines[#lines + 1] = inner .. "[" .. serialise(k, inner) .. "] = " .. serialise(v, inner) .. ","
    end
    if #lines == 0 then return "{}" end
    table.sort(lines)
    return "{\n" .. table.concat(lines, "\n") .. "\n" .. indent .. "}"
end

function textutils.serialise(value)
    return serialise(value, "")
end
textutils.serialize = textutils.serialise

function textutils.unserialise(text)
    local chunk = load("return " .. text, "unserialize", "t", {})
    if not chunk then return nil end
    local ok, result = pcall(chunk)
    if ok then return result end
    return nil
end
textutils.unserialize = textutils.unserialise

-- ------------------------------------------------------------------ parallel

local function run_routines(stop_at_first, ...)
    local routines, filters, living = {}, {}, 0
    for i, fn in ipairs({ ... }) do
        routines[i] = coroutine.create(fn)
        living = living + 1
    end
    local count = #routines
    local event = { n = 0 }
    while true do
        for i = 1, count do
            local routine = routines[i]
            if routine and (filters[i] == nil or filters[i] == event[1] or event[1] == "terminate") then
                local ok, filter = coroutine.resume(routine, table.unpack(event, 1, event.n))
                if not ok then error(filter, 0) end
                filters[i] = filter
                if coroutine.status(routine) == "dead" then
                    routines[i], living = nil, living - 1
                    if stop_at_first then return i end
                    if living == 0 then return end
                end
            end
        end
        event = table.pack(os.pullEventRaw())
    end
end

parallel = {
    waitForAny = function(...) return run_routines(true, ...) end,
    waitForAll = function(...) return run_routines(false, ...) end,
}

-- ------------------------------------------------------------------ fs (Java) and loading code

fs = native.fs

local function load_file(path, env)
    local handle = fs.open(path, "rb")
    if not handle then return nil, "File not found: " .. path end
    local text = handle.readAll()
    handle.close()
    return load(text, "@" .. path, "t", env)
end

local function make_require(dir, env)
    local loaded = {}
    return function(name)
        if loaded[name] ~= nil then return loaded[name] end
        local relative = name:gsub("%.", "/")
        for _, pattern in ipairs({ "?.lua", "?/init.lua" }) do
            local path = fs.combine(dir, (pattern:gsub("%?", relative)))
            if fs.exists(path) and not fs.isDir(path) then
                local chunk, err = load_file(path, env)
                if not chunk then error(err, 0) end
                local result = chunk(name, path)
                if result == nil then result = true end
                loaded[name] = result
                return result
            end
        end
        error("module '" .. name .. "' not found", 2)
    end
end

local function program_env(dir, path, ...)
    local env = setmetatable({}, { __index = _G })
    env.require = make_require(dir, env)
    env.arg = { [0] = path, ... }
    return env
end

local standin = {}
_G.standin = standin

--- Runs a program file as the CC shell would: its own environment, require relative to its folder.
function standin.run_program(path, ...)
    local env = program_env(fs.getDir(path), path, ...)
    local chunk, err = load_file(path, env)
    if not chunk then error(err, 0) end
    return chunk(...)
end

--- "wget run <url> [args]": downloads a program and runs it without saving it.
function standin.wget_run(url, ...)
    local response, err = http.get(url)
    if not response then return false, "download failed: " .. tostring(err) end
    local text = response.readAll()
    response.close()
    local name = url:gsub("[#?].*", ""):gsub("/+$", ""):match("/([^/]+)$")
    local chunk, problem = load(text, name, "t", program_env("", name))
    if not chunk then return false, problem end
    return pcall(chunk, ...)
end

-- ------------------------------------------------------------------ http (natives are Java)

http = {}

local function await_http(url)
    while true do
        local event, address, a, b = os.pullEvent()
        if event == "http_success" and address == url then return a
        elseif event == "http_failure" and address == url then return nil, a, b
        end
    end
end

function http.request(url, body, headers, binary)
    local ok, err = native.http_request(url, headers, binary and true or false)
    if not ok then os.queueEvent("http_failure", url, err) end
    return ok, err
end

function http.get(url, headers, binary)
    local ok, err = native.http_request(url, headers, binary and true or false)
    if not ok then return nil, err end
    return await_http(url)
end

function http.checkURL(url)
    if not url:find("^https?://") then return false, "URL malformed" end
    return true
end

function http.websocketAsync(url, headers)
    local ok, err = native.websocket_open(url, headers)
    if not ok then os.queueEvent("websocket_failure", url, err) end
    return ok, err
end

function http.websocket(url, headers)
    local ok, err = native.websocket_open(url, headers)
    if not ok then return false, err end
    while true do
        local event, address, a = os.pullEvent()
        if event == "websocket_success" and address == url then return a
        elseif event == "websocket_failure" and address == url then return false, a
        end
    end
end

local function response_handle(status, reason, body, headers)
    local position = 1
    local handle = {}
    function handle.readAll()
        if position > #body then return nil end
        local rest = body:sub(position)
        position = #body + 1
        return rest
    end
    function handle.readLine()
        if position > #body then return nil end
        local line_end = body:find("\n", position, true) or (#body + 1)
        local line = body:sub(position, line_end - 1)
        position = line_end + 1
        return line
    end
    function handle.getResponseCode() return status, reason end
    function handle.getResponseHeaders() return headers end
    function handle.close() end
    return handle
end

local function websocket_handle(id, url)
    local handle = {}
    function handle.send(message, binary) native.websocket_send(id, tostring(message), binary and true or false) end
    function handle.close() native.websocket_close(id) end
    function handle.receive(timeout)
        if native.websocket_is_closed(id) then error("attempt to use a closed file", 2) end
        local timer = timeout and os.startTimer(timeout)
        while true do
            local event, address, a, b = os.pullEvent()
            if event == "websocket_message" and address == url then return a, b
            elseif event == "websocket_closed" and address == url and native.websocket_is_closed(id) then return nil
            elseif event == "timer" and timer ~= nil and address == timer then return nil
            end
        end
    end
    return handle
end

-- The Java side queues handles as ids; the handle tables are made here, on the computer's thread.
local function translate(event)
    local name = event[1]
    if name == "__http_success" or name == "__http_failure" then
        local handle = response_handle(event[3], event[4], event[5], event[6])
        if name == "__http_success" then return { "http_success", event[2], handle, n = 3 } end
        return { "http_failure", event[2], event[4], handle, n = 4 }
    elseif name == "__websocket_success" then
        return { "websocket_success", event[2], websocket_handle(event[3], event[2]), n = 3 }
    end
    return event
end

--- Runs main as the computer's top-level coroutine, resuming it with each event it waits for.
return function(main, ...)
    local routine = coroutine.create(main)
    local ok, filter = coroutine.resume(routine, ...)
    while ok and coroutine.status(routine) ~= "dead" do
        local event = translate(table.pack(native.next_event()))
        if filter == nil or event[1] == filter or event[1] == "terminate" then
            ok, filter = coroutine.resume(routine, table.unpack(event, 1, event.n))
        end
    end
    if not ok then return false, tostring(filter) end
    return true
end
