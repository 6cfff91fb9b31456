/** Small helpers shared by chtsl's packages (memory scopes). */
package org.chtsl.util;
