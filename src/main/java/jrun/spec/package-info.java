/**
 * The OCI runtime-spec container configuration (config.json) as immutable records, with a
 * hand-written reader ({@link jrun.spec.SpecReader}) and writer ({@link jrun.spec.SpecWriter})
 * that work on Jackson's tree model: no databind reflection on the start-up path.
 *
 * <p>The model covers runtime-spec 1.2 (including 1.2.1's {@code process.execCPUAffinity}) plus the
 * Linux fields of 1.3 ({@code linux.netDevices}, {@code linux.memoryPolicy},
 * {@code linux.intelRdt.schemata} and {@code enableMonitoring}). Record components are named after
 * the JSON fields, except where the JSON name is a Java keyword ({@code class}, {@code final}).
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Absent values.</b> A field that Go declares as a pointer, an object or a string is
 *       {@code null} when absent. A field that Go declares as a plain number or bool is a Java
 *       primitive and reads as 0 / false when absent, as Go's zero value. Absent lists and maps
 *       are empty ({@code List.of()}, {@code Map.of()}), never null. JSON {@code null} counts as
 *       absent, as in Go.</li>
 *   <li><b>Numbers.</b> Every JSON integer is a Java {@code long} / {@code Long}, whatever its Go
 *       width; the reader checks the range of the Go type (uint16, uint32, int64, uint64).
 *       A uint64 value above {@link java.lang.Long#MAX_VALUE} is stored as its two's complement
 *       ({@code bigIntegerValue().longValue()}): 18446744073709551615 reads as -1, which is what
 *       the kernel expects for e.g. RLIM_INFINITY or a seccomp argument, and the writer writes
 *       uint64 fields back as unsigned. Use {@link java.lang.Long#toUnsignedString(long)} and
 *       {@link java.lang.Long#compareUnsigned(long, long)} on such fields.</li>
 *   <li><b>Unknown fields are kept, not fatal.</b> Every record has a last component
 *       {@code Map<String, JsonValue> extra} holding the JSON fields the model does not know, in
 *       their original order; the writer writes them back after the known ones. The non-Linux
 *       platform sections ({@code windows}, {@code solaris}, {@code vm}, {@code zos},
 *       {@code freebsd}) are kept this way in {@link jrun.spec.Spec#extra()}. The nodes are
 *       private copies: do not mutate them.</li>
 *   <li><b>Writing.</b> The writer follows Go's {@code omitempty}: null values, empty lists and
 *       maps, and zero / false plain fields marked omitempty are left out; fields Go always
 *       writes (e.g. {@code user.uid}) are always written. Strings are written whenever they are
 *       non-null, so an empty string read from a file survives a round trip.</li>
 *   <li>Lists and maps are unmodifiable; maps keep the order of the JSON object.</li>
 * </ul>
 */
package jrun.spec;
