package jrun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How fstab-style options split into mount attributes, bind, propagation and filesystem data. */
class MountOptionsTest {
    private static MountOptions parse(String... options) {
        return MountOptions.parse(List.of(options));
    }

    @Test
    void flagOptionsSetAttributesAndTheirOppositesClearThem() {
        MountOptions o = parse("ro", "nosuid", "nodev", "noexec", "nodiratime", "nosymfollow");
        assertEquals(MountAttr.RDONLY | MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC | MountAttr.NODIRATIME
                | MountAttr.NOSYMFOLLOW, o.attrSet());
        assertEquals(0, o.attrClear());
        assertTrue(o.readonly());

        MountOptions opposite = parse("rw", "suid", "dev", "exec", "diratime", "symfollow");
        assertEquals(0, opposite.attrSet());
        assertEquals(MountAttr.RDONLY | MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NOEXEC | MountAttr.NODIRATIME
                | MountAttr.NOSYMFOLLOW, opposite.attrClear());
        assertFalse(opposite.readonly());
    }

    @Test
    void theLastOfTwoContradictoryOptionsWins() {
        MountOptions roThenRw = parse("ro", "rw");
        assertEquals(0, roThenRw.attrSet() & MountAttr.RDONLY);
        assertEquals(MountAttr.RDONLY, roThenRw.attrClear() & MountAttr.RDONLY);
        MountOptions rwThenRo = parse("rw", "ro");
        assertEquals(MountAttr.RDONLY, rwThenRo.attrSet() & MountAttr.RDONLY);
        assertEquals(0, rwThenRo.attrClear() & MountAttr.RDONLY);
    }

    @Test
    void atimeModesReplaceEachOtherAndClearTheWholeField() {
        assertEquals(MountAttr.NOATIME, parse("strictatime", "noatime").attrSet());
        assertEquals(MountAttr.STRICTATIME, parse("noatime", "strictatime").attrSet());
        assertEquals(MountAttr.RELATIME, parse("noatime", "relatime").attrSet());
        assertEquals(MountAttr.ATIME_MASK, parse("relatime").attrClear());
    }

    @Test
    void bindAndRbind() {
        assertTrue(parse("bind").bind());
        assertFalse(parse("bind").recursiveBind());
        assertTrue(parse("rbind").bind());
        assertTrue(parse("rbind").recursiveBind());
        assertFalse(parse("ro").bind());
    }

    @Test
    void propagationOptionsAndTheirRecursiveForms() {
        assertEquals(MountAttr.MS_PRIVATE, parse("private").propagation());
        assertFalse(parse("private").recursivePropagation());
        MountOptions rshared = parse("rshared");
        assertEquals(MountAttr.MS_SHARED, rshared.propagation());
        assertTrue(rshared.recursivePropagation());
        assertEquals(MountAttr.MS_SLAVE, parse("rslave").propagation());
        assertEquals(MountAttr.MS_UNBINDABLE, parse("runbindable").propagation());
        assertEquals(MountAttr.MS_PRIVATE, parse("rshared", "private").propagation());
        assertFalse(parse("rshared", "private").recursivePropagation());
        assertEquals(0, parse("ro").propagation());
    }

    @Test
    void everythingElseIsFilesystemDataInOrder() {
        MountOptions o = parse("nosuid", "mode=755", "size=65536k", "newinstance", "defaults", "ptmxmode=0666");
        assertEquals(List.of("mode=755", "size=65536k", "newinstance", "ptmxmode=0666"), o.data());
        assertEquals(MountAttr.NOSUID, o.attrSet());
    }

    @Test
    void optionsWithoutEffectAreDropped() {
        MountOptions o = parse("defaults", "async", "atime", "norelatime", "nostrictatime", "loud", "nomand");
        assertEquals(List.of(), o.data());
        assertEquals(0, o.attrSet());
        assertEquals(0, o.attrClear());
    }

    @Test
    void propagationOfRefusesWhatIsNotAPropagationType() {
        assertEquals(MountAttr.MS_SLAVE, MountOptions.propagationOf("slave"));
        assertThrows(IllegalArgumentException.class, () -> MountOptions.propagationOf("rslave"));
        assertThrows(IllegalArgumentException.class, () -> MountOptions.propagationOf("ro"));
    }

    @Test
    void recursiveAttributesAreKeptApartFromTheMountsOwn() {
        MountOptions o = parse("rro", "rnosuid", "nodev", "rnoexec", "rexec", "rnosymfollow");
        assertEquals(MountAttr.RDONLY | MountAttr.NOSUID | MountAttr.NOSYMFOLLOW, o.recursiveAttrSet());
        assertEquals(MountAttr.NOEXEC, o.recursiveAttrClear());
        assertEquals(MountAttr.NODEV, o.attrSet());
        assertTrue(o.readonly());
        MountOptions rw = parse("rro", "rrw", "rsuid", "rdev", "rdiratime", "rsymfollow");
        assertEquals(0, rw.recursiveAttrSet());
        assertEquals(MountAttr.RDONLY | MountAttr.NOSUID | MountAttr.NODEV | MountAttr.NODIRATIME
                | MountAttr.NOSYMFOLLOW, rw.recursiveAttrClear());
        assertEquals(List.of(), rw.data());
    }

    @Test
    void recursiveAtimeSetsTheWholeFieldAsMountSetattrRequires() {
        assertEquals(MountAttr.NOATIME, parse("rnoatime").recursiveAttrSet());
        assertEquals(MountAttr.ATIME_MASK, parse("rnoatime").recursiveAttrClear());
        assertEquals(MountAttr.STRICTATIME, parse("rnoatime", "rstrictatime").recursiveAttrSet());
        for (String relatime : List.of("rrelatime", "ratime", "rnorelatime", "rnostrictatime")) {
            assertEquals(MountAttr.RELATIME, parse("rstrictatime", relatime).recursiveAttrSet(), relatime);
            assertEquals(MountAttr.ATIME_MASK, parse(relatime).recursiveAttrClear(), relatime);
        }
    }

    @Test
    void superblockFlagsGoToTheFilesystemInOrder() {
        MountOptions o = parse("sync", "lazytime", "nosuid", "async", "dirsync", "mand", "nomand", "nolazytime");
        assertEquals(List.of("sync", "lazytime", "async", "dirsync", "mand", "nomand", "nolazytime"),
                o.superblockFlags());
        assertEquals(List.of(), o.data());
        assertEquals(List.of(), parse("iversion", "noiversion", "silent", "loud").superblockFlags());
    }

    @Test
    void runcsExtensions() {
        assertTrue(parse("tmpcopyup").copyUp());
        assertFalse(parse("ro").copyUp());
        assertTrue(parse("idmap").idmap());
        assertFalse(parse("idmap").recursiveIdmap());
        assertTrue(parse("ridmap").recursiveIdmap());
        assertTrue(parse("remount", "ro").remount());
        assertEquals(List.of(), parse("tmpcopyup", "idmap", "ridmap", "remount").data());
    }

    @Test
    void filesystemDataKeepsItsPositionsForErrors() {
        MountOptions o = parse("nosuid", "mode=755", "ro", "foo");
        assertEquals(List.of("mode=755", "foo"), o.data());
        assertEquals(List.of(1, 3), o.dataPositions());
    }

    @Test
    void everyOptionOfRuncOnePointTwoIsRecognised() {
        // runc 1.2's libcontainer/specconv mountFlags, mountPropagationMapping, recAttrFlags,
        // extensionFlags and complexFlags tables.
        List<String> runc = List.of("async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
                "iversion", "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime", "noexec", "noiversion",
                "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid", "nosymfollow", "rbind", "relatime",
                "remount", "ro", "rw", "silent", "strictatime", "suid", "sync", "symfollow",
                "rprivate", "private", "rslave", "slave", "rshared", "shared", "runbindable", "unbindable",
                "rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec", "rnodiratime", "rdiratime",
                "rrelatime", "rnorelatime", "rnoatime", "ratime", "rstrictatime", "rnostrictatime", "rnosymfollow",
                "rsymfollow", "tmpcopyup", "idmap", "ridmap");
        for (String o : runc) {
            assertTrue(MountOptions.recognizes(o), o);
        }
        assertEquals(runc.stream().sorted().toList(), MountOptions.recognized());
    }
}
