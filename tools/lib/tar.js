// tar.js - reads named regular files out of an in-memory tar archive (ustar,
// with GNU long names and pax headers, as GitHub's and Debian's tarballs use).
// Ownership: the returned buffers are views into the caller's archive.

const BLOCK = 512;

/** @param {Buffer} header @param {number} offset @param {number} length */
function field(header, offset, length) {
  const end = header.indexOf(0, offset);
  return header.toString("utf8", offset, end >= 0 && end < offset + length ? end : offset + length);
}

/** @param {Buffer} header @param {number} offset @param {number} length */
function octal(header, offset, length) {
  const text = field(header, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new Error("tar: malformed number field");
  return text === "" ? 0 : parseInt(text, 8);
}

/** @param {Buffer} data */
function paxPath(data) {
  // Records are "<length> <key>=<value>\n".
  for (const record of data.toString("utf8").split("\n")) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1];
  }
  return null;
}

// Returns { baseName: Buffer } for every regular file whose path ends in
// "/<baseName>" one level below the archive's top folder (e.g.
// "cJSON-1.7.18/cJSON.c"), for the names asked for.
/** @param {Buffer} archive @param {string[]} names @returns {Record<string, Buffer>} */
export function extractTopLevelFiles(archive, names) {
  const wanted = new Set(names);
  /** @type {Record<string, Buffer>} */
  const found = {};
  let offset = 0;
  let longName = null;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = offset + BLOCK;
    if (dataStart + size > archive.length) throw new Error("tar: archive is truncated");
    const data = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L") { longName = field(data, 0, data.length); continue; }
    if (type === "x") { longName = paxPath(data) ?? longName; continue; }
    if (type === "g") continue;
    const prefix = field(header, 345, 155);
    const path = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = null;
    if (type !== "0") continue;
    const parts = path.split("/");
    if (parts.length === 2 && wanted.has(parts[1])) found[parts[1]] = data;
  }
  return found;
}
