package io.pekkozmq.actors.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type that is internal to pekko-zmq although it is public: the runtime's SPI, which the
 * {@code streams} and {@code monitor} modules build on. It may change in any release; applications
 * never use it. The module descriptors export its package to those modules only, and the build's
 * {@code PublicApiTest} fails if a public API signature names it or anything in an {@code impl}
 * package.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface InternalApi {}
