package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnResourcesTest {
    private final String savedHome = System.getProperty("jrun.home");

    @TempDir
    Path home;

    @AfterEach
    void restoreHome() {
        if (savedHome == null) {
            System.clearProperty("jrun.home");
        } else {
            System.setProperty("jrun.home", savedHome);
        }
    }

    @Test
    void jrunsHomeComesFirst() throws Exception {
        Files.createDirectories(home.resolve("oci-schemas"));
        Files.writeString(home.resolve("oci-schemas/config-schema.json"), "{\"from\":\"home\"}");
        System.setProperty("jrun.home", home.toString());
        assertEquals("{\"from\":\"home\"}",
                new String(OwnResources.read("oci-schemas/config-schema.json"), StandardCharsets.UTF_8));
    }

    @Test
    void withoutAHomeOrAFileThereTheBuildsCopyIsRead() throws Exception {
        byte[] shipped = Files.readAllBytes(Path.of("oci-schemas/defs.json"));
        System.clearProperty("jrun.home");
        assertArrayEquals(shipped, OwnResources.read("oci-schemas/defs.json"));
        System.setProperty("jrun.home", home.toString()); // a home without the file
        assertArrayEquals(shipped, OwnResources.read("oci-schemas/defs.json"));
    }

    @Test
    void theClassPathIsTheLastPlaceLookedIn() throws Exception {
        System.clearProperty("jrun.home");
        byte[] testSchema = OwnResources.read("oci-schemas/test-keywords.json");
        assertEquals('{', testSchema[0]);
        assertNull(OwnResources.read("oci-schemas/no-such-schema.json"));
    }
}
