import { sourceOf, type BufferReader } from '../types.js';

/** The Info.plist every `.logarchive` bundle holds at its top. */
const ARCHIVE_INFO = /^(.*?[^/]+\.logarchive)\/Info\.plist$/;

/**
 * A sysdiagnose keeps apsd, mdmd and mdmclient lines in
 * system_logs.logarchive: binary tracev3 files that only `log show` (on a
 * Mac) or a unified-log parser can turn into text. pushcheck does not decode
 * them; it records that the archive is there (by its small Info.plist, so
 * the big tracev3 files are never buffered), and a note then says how to
 * export the push path's lines so they can be attached.
 */
export const logArchiveReader: BufferReader = {
  id: 'text.log-archive',
  kind: 'buffer',
  accepts(name, _head, item) {
    // The name first: the pattern is tried on every member of a sysdiagnose, thousands of long paths.
    return name === 'Info.plist' && ARCHIVE_INFO.test(item.member ?? item.input);
  },
  read(_data, item) {
    const path = ARCHIVE_INFO.exec(item.member ?? item.input)![1]!;
    return { facts: [{ name: 'device.log.archive', value: path.replace(/^\.\//, ''), source: sourceOf(item) }], problems: [] };
  },
};
