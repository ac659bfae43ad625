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
        {
            content: "Since when?",
            trigger: ".o_request_question[data-kind=date] input",
            run() {
                // hoot's "edit" cannot type into a date input: set its value like a picker
                this.anchor.value = "2026-11-20";
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
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
