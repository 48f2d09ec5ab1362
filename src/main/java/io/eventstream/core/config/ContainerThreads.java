package io.eventstream.core.config;

import java.util.concurrent.ThreadFactory;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The container's managed thread factory (Jakarta Concurrency), for the hub's own threads: they carry the
 * application's class loader and naming context, so CDI and JNDI work on them.
 *
 * <p>Looked up by its standard name rather than injected with {@code @Resource}: Payara binds no
 * {@code java:comp/env} entry for a {@code @Resource} field of a class in a library JAR ({@code WEB-INF/lib}), and
 * the deployment fails ("Lookup failed for java:comp/env/...").
 */
public final class ContainerThreads {

    /** The standard name every Jakarta EE server binds it to. */
    public static final String NAME = "java:comp/DefaultManagedThreadFactory";

    private ContainerThreads() {
    }

    /** The factory; throws when the server has none (it is no full Jakarta EE or Web Profile server). */
    public static ThreadFactory factory() {
        try {
            return InitialContext.doLookup(NAME);
        } catch (NamingException e) {
            throw new IllegalStateException("the server binds no " + NAME + " (Jakarta Concurrency), which the hub's"
                    + " threads need: " + e, e);
        }
    }
}
