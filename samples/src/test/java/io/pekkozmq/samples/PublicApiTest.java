package io.pekkozmq.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public API names nothing internal: no public or protected signature of a public type in a
 * package that a pekko-zmq module exports to everyone mentions a type from a package it keeps
 * (an {@code impl} package, the qualified-export SPI) or a type marked {@code @InternalApi}. The
 * module descriptors keep users out of those packages; this keeps the API from handing them out.
 * Read by reflection from the modules this test runs in (surefire puts them on the module path).
 */
class PublicApiTest {
  private static final String OURS = "pekko.zmq.";
  private static final String INTERNAL_API = "io.pekkozmq.actors.spi.InternalApi";

  @ParameterizedTest
  @ValueSource(strings = {"pekko.zmq.engine", "pekko.zmq.actors", "pekko.zmq.monitor", "pekko.zmq.streams"})
  void noPublicSignatureNamesAnInternalType(String moduleName) {
    Module module = module(moduleName);
    List<String> leaks = new ArrayList<>();
    int scanned = 0;
    for (Class<?> c : publicTypes(module, exportedToAll(module.getDescriptor()))) {
      leaks.addAll(leaksOf(c));
      scanned++;
    }
    assertTrue(scanned > 0, "found the public types of " + moduleName);
    assertEquals(List.of(), leaks, "public signatures of " + moduleName + " that name internal types");
  }

  @Test
  void onlyTheSpiIsExportedBeyondThePublicPackages() {
    ModuleDescriptor actors = module("pekko.zmq.actors").getDescriptor();
    Set<String> qualified = new TreeSet<>();
    for (ModuleDescriptor.Exports e : actors.exports()) {
      if (e.isQualified()) qualified.add(e.source() + " to " + new TreeSet<>(e.targets()));
    }
    assertEquals(Set.of("io.pekkozmq.actors.spi to [pekko.zmq.monitor, pekko.zmq.streams]"), qualified);
    assertEquals(Set.of("io.pekkozmq.actors", "io.pekkozmq.actors.security", "io.pekkozmq.actors.serialization"),
        exportedToAll(actors));
    for (String name : List.of("pekko.zmq.actors", "pekko.zmq.monitor", "pekko.zmq.streams")) {
      for (String p : exportedToAll(module(name).getDescriptor())) {
        assertFalse(p.contains(".impl"), name + " exports " + p + " to everyone");
      }
    }
  }

  /** The scan can fail: the SPI, were it public, would hand out internal types. */
  @Test
  void theScanFindsTheSpisInternalTypes() {
    Module actors = module("pekko.zmq.actors");
    List<String> leaks = new ArrayList<>();
    for (Class<?> c : publicTypes(actors, Set.of("io.pekkozmq.actors.spi"))) leaks.addAll(leaksOf(c));
    assertTrue(leaks.stream().anyMatch(l -> l.contains("RuntimeSpi.dataPlane") && l.contains("SocketDataPlane")), leaks::toString);
  }

  private static Module module(String name) {
    return ModuleLayer.boot().findModule(name)
        .orElseThrow(() -> new AssertionError(name + " is not in the boot layer: the tests must run on the module path"));
  }

  private static Set<String> exportedToAll(ModuleDescriptor d) {
    Set<String> out = new TreeSet<>();
    for (ModuleDescriptor.Exports e : d.exports()) {
      if (!e.isQualified()) out.add(e.source());
    }
    return out;
  }

  /** Public types (top-level and nested, public all the way out) of {@code packages} in {@code module}. */
  private static List<Class<?>> publicTypes(Module module, Set<String> packages) {
    ResolvedModule resolved = ModuleLayer.boot().configuration().findModule(module.getName()).orElseThrow();
    List<String> names;
    try (ModuleReader reader = resolved.reference().open(); Stream<String> list = reader.list()) {
      names = list.filter(r -> r.endsWith(".class") && !r.endsWith("module-info.class"))
          .map(r -> r.substring(0, r.length() - ".class".length()).replace('/', '.'))
          .filter(n -> packages.contains(n.substring(0, n.lastIndexOf('.'))))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Class<?>> out = new ArrayList<>();
    for (String n : names) {
      Class<?> c = Class.forName(module, n);
      if (c != null && visible(c)) out.add(c);
    }
    return out;
  }

  private static boolean visible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) return false;
    }
    return true;
  }

  /** Each public or protected signature of {@code c} that names an internal type. */
  private static List<String> leaksOf(Class<?> c) {
    List<String> out = new ArrayList<>();
    check(out, c.getName() + " extends", c.getGenericSuperclass());
    for (Type t : c.getGenericInterfaces()) check(out, c.getName() + " implements", t);
    for (TypeVariable<?> v : c.getTypeParameters()) for (Type b : v.getBounds()) check(out, c.getName() + "<" + v + ">", b);
    if (c.isRecord()) {
      for (RecordComponent r : c.getRecordComponents()) check(out, c.getName() + "(" + r.getName() + ")", r.getGenericType());
    }
    for (Field f : c.getDeclaredFields()) {
      if (exposed(c, f)) check(out, where(c, f), f.getGenericType());
    }
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (exposed(c, k)) checkExecutable(out, c, k);
    }
    for (Method m : c.getDeclaredMethods()) {
      if (exposed(c, m) && !m.isSynthetic() && !m.isBridge()) {
        checkExecutable(out, c, m);
        check(out, where(c, m) + " returns", m.getGenericReturnType());
      }
    }
    return out;
  }

  private static void checkExecutable(List<String> out, Class<?> c, Executable e) {
    for (Type p : e.getGenericParameterTypes()) check(out, where(c, e) + " takes", p);
    for (Type x : e.getGenericExceptionTypes()) check(out, where(c, e) + " throws", x);
    for (TypeVariable<?> v : e.getTypeParameters()) for (Type b : v.getBounds()) check(out, where(c, e) + "<" + v + ">", b);
  }

  /** Public members, and protected ones of classes a user may extend. */
  private static boolean exposed(Class<?> c, Member m) {
    int mod = m.getModifiers();
    return Modifier.isPublic(mod) || (Modifier.isProtected(mod) && !Modifier.isFinal(c.getModifiers()));
  }

  private static String where(Class<?> c, Member m) {
    return c.getName() + "." + (m instanceof Constructor<?> ? "<init>" : m.getName());
  }

  private static void check(List<String> out, String where, Type t) {
    Set<Class<?>> named = new HashSet<>();
    collect(t, named, new HashSet<>());
    for (Class<?> k : named) {
      if (internal(k)) out.add(where + " " + k.getName());
    }
  }

  private static void collect(Type t, Set<Class<?>> into, Set<Type> seen) {
    if (t == null || !seen.add(t)) return;
    if (t instanceof Class<?> c) {
      into.add(c.isArray() ? c.getComponentType() : c);
    } else if (t instanceof ParameterizedType p) {
      collect(p.getRawType(), into, seen);
      collect(p.getOwnerType(), into, seen);
      for (Type a : p.getActualTypeArguments()) collect(a, into, seen);
    } else if (t instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) collect(b, into, seen);
      for (Type b : w.getLowerBounds()) collect(b, into, seen);
    } else if (t instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) collect(b, into, seen);
    } else if (t instanceof GenericArrayType g) {
      collect(g.getGenericComponentType(), into, seen);
    }
  }

  /** A type of one of our modules in a package that module does not export to everyone, or marked internal. */
  private static boolean internal(Class<?> k) {
    while (k.isArray()) k = k.getComponentType();
    if (k.isPrimitive()) return false;
    for (var a : k.getAnnotations()) {
      if (a.annotationType().getName().equals(INTERNAL_API)) return true;
    }
    Module m = k.getModule();
    if (!m.isNamed() || !m.getName().startsWith(OURS)) return false;
    return !exportedToAll(m.getDescriptor()).contains(k.getPackageName());
  }
}
