package org.chtsl.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads every program's command line with picocli, the same way: typed options declared once on the
 * program's options class, generated {@code --help} and {@code --version}, strict values ({@link
 * ValueConverters}), each value checked by its {@link ArgumentRule}, then the program's own
 * cross-option checks. Bad input becomes an {@link IllegalArgumentException} with one line naming
 * the option (or argument), the value and what is allowed, which {@link ProgramRunner} turns into
 * exit status 2.
 */
final class CommandLines {

    private static final int HELP_WIDTH = 100;
    private static final Pattern NUMBER = Pattern.compile("-[\\d.].*");

    private CommandLines() {}

    /**
     * Creates the command line of a program's options, as {@link #parse} reads it.
     *
     * @param options the options object (a picocli {@code @Command})
     * @return the command line
     */
    static CommandLine create(Object options) {
        CommandLine commandLine = new CommandLine(options);
        CommandSpec spec = commandLine.getCommandSpec();
        spec.mixinStandardHelpOptions(true);
        spec.versionProvider(new ProgramVersions());
        spec.usageMessage().sortOptions(false).abbreviateSynopsis(true).width(HELP_WIDTH);
        if (options instanceof ProgramOptions program && !program.helpFooter().isEmpty()) {
            spec.usageMessage().footer(program.helpFooter());
        }
        commandLine.setExpandAtFiles(false); // a prompt may start with @
        // -hello is an unknown option, not -h with "ello"
        commandLine.setPosixClusteredShortOptionsAllowed(false);
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        ValueConverters.register(commandLine);
        return commandLine;
    }

    /**
     * Reads a command line into a program's options and checks them; prints the help or the
     * versions instead if asked.
     *
     * @param options the options object (a picocli {@code @Command}), filled in
     * @param out where {@code --help} and {@code --version} are printed
     * @param args the command line
     * @return what was parsed, or empty if help or versions were printed (the program ends, exit
     *     status 0)
     * @throws IllegalArgumentException with one line naming the option, the value and what is
     *     allowed
     */
    static Optional<ParseResult> parse(Object options, PrintStream out, String... args) {
        CommandLine commandLine = create(options);
        ParseResult result;
        try {
            result = commandLine.parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(message(e, args), e);
        }
        if (result.isUsageHelpRequested()) {
            commandLine.usage(out);
            return Optional.empty();
        }
        if (result.isVersionHelpRequested()) {
            commandLine.printVersionHelp(out);
            return Optional.empty();
        }
        Set<ArgSpec> matched = Collections.newSetFromMap(new IdentityHashMap<>());
        matched.addAll(result.matchedArgs());
        for (ArgSpec arg : commandLine.getCommandSpec().args()) {
            if (matched.contains(arg)) {
                new ArgumentRule(arg).check();
            }
        }
        if (options instanceof ProgramOptions program) {
            program.validate();
        }
        return Optional.of(result);
    }

    /**
     * Returns options as they were given, to pass them on to another program's options.
     *
     * @param result what was parsed
     * @param scopes the objects (e.g. mixins) whose options are wanted; none for every option
     * @return {@code --name value} pairs (and value-less switches), in the order given
     */
    static String[] given(ParseResult result, Object... scopes) {
        List<String> args = new ArrayList<>();
        for (OptionSpec option : result.matchedOptions()) {
            if (scopes.length > 0 && !declaredIn(option, scopes)) {
                continue;
            }
            args.add(option.longestName());
            List<String> values = option.originalStringValues();
            if (option.arity().max() > 0 && !values.isEmpty()) {
                args.add(values.get(values.size() - 1));
            }
        }
        return args.toArray(new String[0]);
    }

    /**
     * Returns every option's value (given or default), for a report.
     *
     * @param options a parsed options object
     * @return the options' long names without dashes, in snake case, to their values
     */
    static Map<String, Object> values(Object options) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionSpec option : new CommandLine(options).getCommandSpec().options()) {
            Object value = option.getValue();
            values.put(
                    option.longestName().substring(2).replace('-', '_'),
                    value instanceof Path path ? path.toString() : value);
        }
        return values;
    }

    /**
     * Returns an option's or positional argument's value as it was given.
     *
     * @param spec the command
     * @param name the option's long name or the argument's label, e.g. {@code TEMPERATURE}
     * @return the text given last, or {@code null} if none was
     */
    static String text(CommandSpec spec, String name) {
        for (ArgSpec arg : spec.args()) {
            List<String> values = arg.originalStringValues();
            if (ArgumentRule.name(arg).equals(name) && !values.isEmpty()) {
                return values.get(values.size() - 1);
            }
        }
        return null;
    }

    /**
     * Returns whether an option is declared in one of some objects (e.g. a mixin).
     *
     * @param option the option
     * @param scopes the objects
     * @return whether its field or setter belongs to one of them
     */
    static boolean declaredIn(OptionSpec option, Object... scopes) {
        Object owner;
        try {
            owner = option.scope().get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the owner of " + option.longestName(), e);
        }
        for (Object scope : scopes) {
            if (scope == owner) {
                return true;
            }
        }
        return false;
    }

    /** One line for picocli's parse failure, in the programs' wording. */
    private static String message(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        List<String> unmatched = commandLine.getUnmatchedArguments();
        if (!unmatched.isEmpty()) {
            return unexpected(commandLine, unmatched.get(0), args);
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
            ArgSpec first = missing.getMissing().get(0);
            return first.isOption()
                    ? ArgumentRule.name(first)
                            + " needs a value: "
                            + new ArgumentRule(first).allowed()
                            + "."
                    : "Missing "
                            + first.paramLabel()
                            + "; usage: "
                            + sentence(synopsis(commandLine));
        }
        if (e instanceof OverwrittenOptionException twice) {
            return ArgumentRule.name(twice.getOverwritten()) + " is given twice; give it once.";
        }
        if (e.getArgSpec() != null
                && e.getValue() != null
                && e.getCause() instanceof TypeConversionException cause) {
            return new ArgumentRule(e.getArgSpec()).notConverted(e.getValue(), cause).getMessage();
        }
        return e.getMessage();
    }

    private static String unexpected(CommandLine commandLine, String arg, String[] args) {
        CommandSpec spec = commandLine.getCommandSpec();
        if (arg.startsWith("-") && arg.length() > 1 && !NUMBER.matcher(arg).matches()) {
            String allowed =
                    spec.options().stream()
                            .map(OptionSpec::longestName)
                            .collect(Collectors.joining(", "));
            return "Unknown option "
                    + arg
                    + "; allowed: "
                    + allowed
                    + " (see --help; put -- before a value that starts with -).";
        }
        String hint = arg.startsWith("-") ? " (put -- before a value that starts with -)" : "";
        for (int i = 1; i < args.length; i++) {
            OptionSpec before = spec.findOption(args[i - 1]);
            if (args[i].equals(arg) && before != null && before.arity().max() == 0) {
                hint = " (" + before.longestName() + " takes no value)";
                break;
            }
        }
        return "Unexpected argument '"
                + arg
                + "'"
                + hint
                + "; usage: "
                + sentence(synopsis(commandLine));
    }

    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    private static String synopsis(CommandLine commandLine) {
        return commandLine.getHelp().synopsis(0).strip();
    }
}
