package jrun.validation;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.networknt.schema.Schema;

class OciSchemasTest {
    @Test
    void schemaIsCompiledOnceWhoeverAsksFirst() throws Exception {
        ConfigLoader.prewarm();
        ConfigLoader.prewarm(); // idempotent
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Schema>> askers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                askers.add(OciSchemas::config);
            }
            List<Future<Schema>> answers = pool.invokeAll(askers);
            Schema first = answers.get(0).get();
            for (Future<Schema> f : answers) {
                assertSame(first, f.get());
            }
            assertSame(first, OciSchemas.config());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void schemasAreLoadedFromTheClassPath() {
        // The jar carries the schemas: validation must not depend on the working directory.
        for (String f : List.of("config-schema.json", "defs.json", "defs-linux.json", "config-linux.json", "state-schema.json")) {
            assertNotNull(OciSchemas.class.getResource("/oci-schemas/" + f), f);
        }
    }
}
