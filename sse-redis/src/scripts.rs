//! The Lua scripts: each is one atomic step on Redis (EVALSHA, EVAL the first time).

use redis::Script;

/// Appends an event to the channel's stream and publishes it, in one step: no node can see
/// the stream and the live message disagree.
///
/// KEYS: epoch key, stream key. ARGV: a fresh epoch (used if the channel has none, or if its
/// stream is gone: flushed, expired or lost in a failover, so old ids can never match new
/// entries), the stream's approximate bound, the Pub/Sub channel, event type, data.
/// Returns `{epoch, stream id}`. The live message is `epoch\nid\nprevious id\ntype\ndata`, the
/// previous id letting every node see a gap in what it received.
const PUBLISH: &str = r"
local epoch = redis.call('GET', KEYS[1])
local previous = ''
if (not epoch) or redis.call('EXISTS', KEYS[2]) == 0 then
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
else
  local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  if #last > 0 then previous = last[1][1] end
end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'type', ARGV[4], 'data', ARGV[5])
redis.call('PUBLISH', ARGV[3], epoch .. '\n' .. id .. '\n' .. previous .. '\n' .. ARGV[4] .. '\n' .. ARGV[5])
return {epoch, id}
";

/// The entries after a stream id, if the id can be placed: same epoch, the entry still in the
/// stream (not trimmed by MAXLEN), and what follows it within the resume window (at most
/// ARGV[3] entries whose values take at most ARGV[4] bytes). Otherwise nil: the caller
/// resyncs. The window bounds what one resuming client, whose id anybody can know, makes the
/// node load.
///
/// KEYS: epoch key, stream key. ARGV: epoch, stream id, max entries, max bytes. Exclusive
/// ranges need Redis 6.2.
const REPLAY: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
if #redis.call('XRANGE', KEYS[2], ARGV[2], ARGV[2]) == 0 then return false end
local max_entries = tonumber(ARGV[3])
local entries = redis.call('XRANGE', KEYS[2], '(' .. ARGV[2], '+', 'COUNT', max_entries + 1)
if #entries > max_entries then return false end
local bytes = 0
for _, entry in ipairs(entries) do
  for i = 2, #entry[2], 2 do bytes = bytes + #entry[2][i] end
  if bytes > tonumber(ARGV[4]) then return false end
end
return entries
";

/// The channel's epoch and every entry of its stream, or nil when it has no epoch: for a node
/// that lost its place (its last id trimmed, or a new epoch), all the stream holds is newer
/// than what it saw, since trimming drops the oldest entries.
///
/// KEYS: epoch key, stream key.
const CURRENT: &str = r"
local epoch = redis.call('GET', KEYS[1])
if not epoch then return false end
return {epoch, redis.call('XRANGE', KEYS[2], '-', '+')}
";

/// The scripts, hashed once.
#[derive(Debug)]
pub(crate) struct Scripts {
    pub(crate) publish: Script,
    pub(crate) replay: Script,
    pub(crate) current: Script,
}

impl Scripts {
    pub(crate) fn new() -> Self {
        Scripts {
            publish: Script::new(PUBLISH),
            replay: Script::new(REPLAY),
            current: Script::new(CURRENT),
        }
    }
}
