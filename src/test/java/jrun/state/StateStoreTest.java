package jrun.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jrun.base.JrunException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path tmp;

    static ContainerState state(String id) {
        return ContainerState.creating("1.2.0", id, "/bundles/" + id, "/bundles/" + id + "/rootfs", Map.of("a", "b"));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void createMakesTheRootPrivateAndAWholeContainerDirectory() throws Exception {
        Path root = tmp.resolve("run/jrun");
        StateStore store = new StateStore(root);
        ContainerState s = state("c1");
        try (ContainerLock lock = store.create(s)) {
            assertTrue(lock.isHeld());
            assertEquals(root.resolve("c1"), lock.containerDir());
        }
        assertEquals("rwx------", mode(root));
        assertEquals("rwx--x--x", mode(root.resolve("c1")));
        assertEquals("rw-------", mode(root.resolve("c1/state.json")));
        assertEquals(List.of("c1"), names(root));
        assertEquals(List.of("lock", "state.json"), names(root.resolve("c1")));
        assertEquals(s, store.load("c1"));
    }

    @Test
    void createRefusesAnExistingId() throws Exception {
        StateStore store = new StateStore(tmp);
        ContainerState original = state("c1");
        store.create(original).close();
        JrunException e = assertThrows(JrunException.class, () -> store.create(state("c1").withExtra("x", "y")));
        assertEquals("container with id exists: c1", e.getMessage());
        assertEquals(original, store.load("c1"));
        assertEquals(List.of("c1"), names(tmp), "no staging directory is left");
    }

    @Test
    void loadOfAMissingContainerSaysSoInRuncsWords() {
        StateStore store = new StateStore(tmp.resolve("absent-root"));
        ContainerNotFoundException e = assertThrows(ContainerNotFoundException.class, () -> store.load("nope"));
        assertEquals("container does not exist: nope", e.getMessage());
        assertThrows(ContainerNotFoundException.class, () -> store.lock("nope"));
        assertFalse(Files.exists(tmp.resolve("absent-root")), "reading creates nothing");
    }

    @Test
    void saveReplacesTheStateWholeAndLeavesNoTemporaryFile() throws Exception {
        StateStore store = new StateStore(tmp);
        ContainerState s = state("c1");
        try (ContainerLock lock = store.create(s)) {
            for (int i = 0; i < 20; i++) {
                s = s.withStatus(ContainerStatus.CREATED).withProcess(1000 + i, 77L * i).withExtra("n", Integer.toString(i));
                store.save(s);
                assertEquals(s, store.load("c1"));
                assertTrue(lock.isHeld());
            }
        }
        assertEquals(List.of("lock", "state.json"), names(tmp.resolve("c1")));
    }


    @Test
    void aStagedStateIsInvisibleUntilCommittedAndDiscardLeavesNothing() throws Exception {
        StateStore store = new StateStore(tmp);
        ContainerState creating = state("c1");
        try (ContainerLock lock = store.create(creating)) {
            ContainerState created = creating.withStatus(ContainerStatus.CREATED).withProcess(4242, 99L);
            StateStore.Staged staged = store.stage(created);
            assertEquals(creating, store.load("c1"), "readers still see the state before the stage");
            assertEquals(3, names(tmp.resolve("c1")).size(), "the staged file lies beside state.json");
            staged.commit();
            assertEquals(created, store.load("c1"));
            assertEquals(List.of("lock", "state.json"), names(tmp.resolve("c1")));

            store.stage(creating.withProcess(1, 2L)).discard();
            assertEquals(created, store.load("c1"));
            assertEquals(List.of("lock", "state.json"), names(tmp.resolve("c1")));
        }
        assertThrows(ContainerNotFoundException.class, () -> store.stage(state("ghost")));
    }
    @Test
    void saveOfARemovedContainerFails() {
        StateStore store = new StateStore(tmp);
        assertThrows(ContainerNotFoundException.class, () -> store.save(state("ghost")));
        assertFalse(Files.exists(tmp.resolve("ghost")));
    }

    @Test
    void loadRefusesAStateFileOfAnotherContainer() throws Exception {
        StateStore store = new StateStore(tmp);
        store.create(state("c1")).close();
        store.create(state("c2")).close();
        Files.copy(tmp.resolve("c2/state.json"), tmp.resolve("c1/state.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        JrunException e = assertThrows(JrunException.class, () -> store.load("c1"));
        assertTrue(e.getMessage().contains("it is the state of \"c2\""), e.getMessage());
    }

    @Test
    void listReturnsContainersByIdAndReportsWhatIsNotOne() throws Exception {
        StateStore store = new StateStore(tmp);
        for (String id : List.of("zeta", "alpha", "mid.1")) {
            store.create(state(id)).close();
        }
        Files.createDirectory(tmp.resolve("~new-123-4-5"));   // a create in progress
        Files.createDirectory(tmp.resolve("junk"));            // no state: not a container
        Files.createDirectory(tmp.resolve("broken"));
        Files.writeString(tmp.resolve("broken/state.json"), "{\"id\":");
        Files.writeString(tmp.resolve("plainfile"), "x");
        List<String> problems = new ArrayList<>();
        List<ContainerState> listed = store.list(problems::add);
        assertEquals(List.of("alpha", "mid.1", "zeta"), listed.stream().map(ContainerState::id).toList());
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.contains("load container junk: container does not exist: junk"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("load container broken: corrupt container state")), problems.toString());
        assertEquals(List.of(), new StateStore(tmp.resolve("none")).list());
        assertFalse(Files.exists(tmp.resolve("none")));
    }

    @Test
    void removeDeletesEverythingAndTheIdCanBeUsedAgain() throws Exception {
        StateStore store = new StateStore(tmp);
        try (ContainerLock lock = store.create(state("c1"))) {
            Files.createDirectories(lock.containerDir().resolve("sub/dir"));
            Files.writeString(lock.containerDir().resolve("sub/dir/f"), "x");
            Files.createSymbolicLink(lock.containerDir().resolve("link"), tmp.resolve("outside"));
            Files.createSymbolicLink(lock.containerDir().resolve("sub/dirlink"), tmp.resolve("outdir"));
        }
        Files.writeString(tmp.resolve("outside"), "kept");
        Files.createDirectories(tmp.resolve("outdir"));
        Files.writeString(tmp.resolve("outdir/f"), "kept");
        store.remove("c1");
        assertEquals(List.of("outdir", "outside"), names(tmp), "removed, and a symlink's target is not followed");
        assertEquals(List.of("f"), names(tmp.resolve("outdir")), "not even a link to a directory");
        assertThrows(ContainerNotFoundException.class, () -> store.load("c1"));
        assertThrows(ContainerNotFoundException.class, () -> store.remove("c1"));
        store.create(state("c1")).close();
        assertEquals("c1", store.load("c1").id());
    }

    @Test
    void permissionsAreThoseOfTheirRwxString() {
        for (String rwx : List.of("rwx------", "rwx--x--x", "rw-------", "---------", "rwxrwxrwx", "r--r-x-w-")) {
            assertEquals(PosixFilePermissions.fromString(rwx), StateStore.permissions(rwx), rwx);
        }
        assertThrows(IllegalArgumentException.class, () -> StateStore.permissions("rwx"));
    }

    @Test
    void oneProcessCannotLockAContainerTwice() throws Exception {
        StateStore store = new StateStore(tmp);
        try (ContainerLock held = store.create(state("c1"))) {
            assertThrows(IllegalStateException.class, () -> store.lock("c1"));
            assertTrue(held.isHeld(), "a refused second lock does not release the first");
        }
        try (ContainerLock again = store.lock("c1")) {
            assertTrue(again.isHeld());
        }
    }

    @Test
    void removeLeftoversRemovesOnlyWhatIsNotAContainer() throws Exception {
        StateStore store = new StateStore(tmp);
        Files.createDirectories(tmp.resolve("junk/inner"));
        assertTrue(store.removeLeftovers("junk"));
        assertFalse(Files.exists(tmp.resolve("junk")));
        assertFalse(store.removeLeftovers("never-was"));
        store.create(state("real")).close();
        assertFalse(store.removeLeftovers("real"));
        assertEquals("real", store.load("real").id());
    }

    @Test
    void everyPathIsBuiltFromAValidatedId() {
        StateStore store = new StateStore(tmp.resolve("root"));
        for (String bad : List.of("../x", "/", "a/b", "..", "a\nb", "")) {
            assertThrows(JrunException.class, () -> store.containerDir(bad));
            assertThrows(JrunException.class, () -> store.load(bad));
            assertThrows(JrunException.class, () -> store.lock(bad));
            assertThrows(JrunException.class, () -> store.removeLeftovers(bad));
        }
        assertFalse(Files.exists(tmp.resolve("root")));
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void ownerIsTheStateDirectorysUser() throws Exception {
        StateStore store = new StateStore(tmp);
        store.create(state("c1")).close();
        assertEquals(System.getProperty("user.name"), store.owner("c1"));
    }
}
