--[[ The skynet-bridge installer for ComputerCraft. Run it on a computer with

  wget run http://<gateway>:3030/install            (or .../install?token=<token>)

It downloads the Skynet client library and a demo program from the same gateway (no internet
needed) and writes /skynet.cfg with the address this computer used. The gateway puts a
GATEWAY table in front of this file when it serves /install. ]]

local FILES = { "skynet.lua", "skynet-demo.lua" }
local CONFIG = "/skynet.cfg"

if type(GATEWAY) ~= "table" then
    printError("Run the installer through the gateway: wget run http://<gateway>:3030/install")
    return
end
if not http then
    printError("The http API is off: set http.enabled = true in computercraft-server.toml")
    return
end

local function write_file(path, content)
    local handle, err = fs.open(path, "wb")
    if not handle then error("cannot write " .. path .. ": " .. tostring(err), 0) end
    handle.write(content)
    handle.close()
end

print("Installing the Skynet client from " .. GATEWAY.files)
local downloaded = {}
for _, name in ipairs(FILES) do
    write("  " .. name .. " ... ")
    local response, err = http.get(GATEWAY.files .. name, nil, true)
    if not response then
        print("failed")
        printError(tostring(err))
        return
    end
    local body = response.readAll() or ""
    response.close()
    -- Compiling it proves the download arrived whole before anything on disk is replaced.
    local compiled, problem = load(body, "=" .. name, "t", {})
    if not compiled then
        print("failed")
        printError(name .. " did not arrive whole (" .. tostring(problem) .. "); run the installer again")
        return
    end
    downloaded[#downloaded + 1] = { name = name, body = body }
    print(#body .. " bytes")
end

for _, file in ipairs(downloaded) do write_file("/" .. file.name, file.body) end
write_file(CONFIG, textutils.serialise({ server = GATEWAY.server, installed_from = GATEWAY.files }))

print("Installed /skynet.lua, /skynet-demo.lua and " .. CONFIG .. " (server " .. GATEWAY.shown_server .. ").")
if fs.exists("/skynet") then
    print("Note: /skynet is another Skynet client; programs that require(\"skynet\") may load it instead: delete it.")
end
print("Try it: skynet-demo")
print("In your programs: local skynet = require(\"skynet\")")
