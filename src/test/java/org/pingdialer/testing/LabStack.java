package org.pingdialer.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated IT against real Asterisk: test methods (and constructors) may take an {@link
 * org.pingdialer.lab.stack.AsteriskStack} parameter. By default every IT shares one stack for the
 * whole run; {@code own = true} gives the class a stack of its own (for tests that restart
 * Asterisk).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LabStackExtension.class)
public @interface LabStack {
  boolean own() default false;

  /** Agent accounts of a stack of its own ({@code own = true}); the shared stack has 2. */
  int agents() default 2;
}
