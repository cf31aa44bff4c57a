// A reader-thread entry for tests that cannot start (its modules fail to load), as after a bad deploy.
throw new Error("reader cannot start");
