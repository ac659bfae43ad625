/**
 * The step that answers the request form's date question with `date` (YYYY-MM-DD).
 */
export function dateQuestionStep(content, date) {
    return {
        content,
        trigger: ".o_request_question[data-kind=date] input",
        run() {
            // hoot's "edit" cannot type into a date input: set its value like a picker
            this.anchor.value = date;
            this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

/**
 * Steps shared by the help desk's tours: the request form of the nature "Heating" (its
 * questions: since when, anyone at risk, which system) filled with `subject` and
 * `description`.
 */
export function heatingRequestSteps(subject, description) {
    return [
        {
            content: "Subject",
            trigger: "input[name=subject]",
            run: `edit ${subject}`,
        },
        dateQuestionStep("Since when?", "2026-11-20"),
        {
            content: "Nobody is at risk",
            trigger: ".o_request_question[data-kind=boolean] input[value=no]",
            run: "click",
        },
        {
            content: "Which system?",
            trigger: ".o_request_question[data-kind=choice] select",
            run: "select Heating",
        },
        {
            content: "Description",
            trigger: "textarea[name=description]",
            run: `edit ${description}`,
        },
    ];
}

/**
 * The agent writes the `solution` of the open request (backend form), completes the request
 * and copies it to the knowledge base (a draft article opens).
 */
export function solveAndCopyToKbSteps(solution) {
    return [
        {
            content: "Write the solution",
            trigger: ".o_form_view .o_notebook a[name=solution]",
            run: "click",
        },
        {
            trigger: ".o_field_html[name=solution] .odoo-editor-editable > :first-child",
            run: `editor ${solution}`,
        },
        {
            content: "Complete the request",
            trigger: ".o_form_view button[name=action_complete]",
            run: "click",
        },
        {
            content: "Copy it to the knowledge base",
            trigger: ".o_form_view button[name=action_copy_to_kb]",
            run: "click",
        },
    ];
}
